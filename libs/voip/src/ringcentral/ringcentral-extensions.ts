import { VoipProvider } from '@app/domain';
import type { VoipConnection } from '@app/domain';
import { ringCentralAgentIdentity } from '../mapping/ringcentral-call-event';
import { RingCentralClient } from './ringcentral-client';
import type { ProviderExtension, ProviderExtensionList } from './provider-extensions';

type Json = Readonly<Record<string, unknown>>;

const MAX_PAGES = 20;

/**
 * The account's enabled extensions (voip.md §2.6), paged. The identity is `rc_<extension id>` — the id is what
 * telephony-session parties carry as `extensionId` — shown with its number and name.
 */
export class RingCentralExtensionList implements ProviderExtensionList {
  readonly provider = VoipProvider.RingCentral;

  constructor(private readonly client: RingCentralClient) {}

  async listExtensions(connection: VoipConnection): Promise<ProviderExtension[]> {
    const items: ProviderExtension[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const body = await this.client.request<{ records?: Json[]; paging?: { totalPages?: number } }>(connection, 'GET', '/restapi/v1.0/account/~/extension', {
        query: { status: 'Enabled', page, perPage: 100 },
      });
      for (const record of body?.records ?? []) {
        const id = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : null;
        if (!id) continue;
        const number = typeof record.extensionNumber === 'string' ? record.extensionNumber : '';
        const name = typeof record.name === 'string' ? record.name : '';
        items.push({ identity: ringCentralAgentIdentity(id), name: [number, name].filter(Boolean).join(' · ') || id, kind: typeof record.type === 'string' ? record.type : 'User' });
      }
      if (!body?.paging?.totalPages || page >= body.paging.totalPages) break;
    }
    return items;
  }
}
