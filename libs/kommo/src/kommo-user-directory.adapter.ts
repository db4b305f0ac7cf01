import { KommoUser, KommoUserDirectory } from '@app/domain';
import { KommoApiClient } from './kommo-api.client';
import { KommoApiError } from './kommo.errors';

const PAGE_SIZE = 250;
const MAX_PAGES = 100;

interface UserWire {
  id: number;
  name?: string;
  email?: string | null;
  rights?: { is_admin?: boolean; is_active?: boolean };
}

/** `GET /api/v4/users` (admin-only in Kommo), all pages. */
export class KommoUserDirectoryAdapter implements KommoUserDirectory {
  constructor(private readonly api: KommoApiClient) {}

  async listUsers(accountId: number): Promise<KommoUser[]> {
    const users: KommoUser[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const response = await this.api.request(accountId, {
        method: 'GET',
        path: `/api/v4/users?limit=${PAGE_SIZE}&page=${page}`,
      });
      if (response.status === 204 || response.body === null) break;
      const body = response.body as { _embedded?: { users?: UserWire[] }; _links?: { next?: unknown } };
      const wires = body._embedded?.users;
      if (!Array.isArray(wires)) throw new KommoApiError(response.status, 'users list without _embedded.users', false);
      for (const wire of wires) {
        if (typeof wire.id !== 'number') continue;
        users.push({
          accountId,
          id: wire.id,
          name: typeof wire.name === 'string' ? wire.name : `User ${wire.id}`,
          email: typeof wire.email === 'string' ? wire.email : null,
          isAdmin: wire.rights?.is_admin === true,
          isActive: wire.rights?.is_active !== false,
        });
      }
      if (!body._links?.next || wires.length < PAGE_SIZE) break;
    }
    return users;
  }
}
