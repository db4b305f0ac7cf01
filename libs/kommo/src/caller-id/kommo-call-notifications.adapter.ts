import { E164, KommoAccessTokens, KommoCallNotifications } from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { apiErrorOf, KommoRawApiClient } from '../calls/kommo-raw-api.client';

/**
 * Kommo's own incoming-call notification: `POST /api/v2/events` `{"add":[{"type":"phone_call","phone_number",
 * "users"}]}` (kommo-api.md §7.1; Kommo finds the entity itself). Documented answer 202; any 2xx is accepted
 * (the exact body is UNCONFIRMED).
 */
export class KommoCallNotificationsAdapter implements KommoCallNotifications {
  private readonly api: KommoRawApiClient;

  constructor(http: KommoHttp, tokens: KommoAccessTokens) {
    this.api = new KommoRawApiClient(http, tokens);
  }

  async notifyIncomingCall(accountId: number, phone: E164, userIds: readonly number[]): Promise<void> {
    const response = await this.api.send(accountId, {
      method: 'POST',
      path: '/api/v2/events',
      body: { add: [{ type: 'phone_call', phone_number: phone, users: [...userIds] }] },
    });
    if (response.status >= 300) throw apiErrorOf(response);
  }
}
