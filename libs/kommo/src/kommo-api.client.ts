import { KommoAccessTokens } from '@app/domain';
import { KommoHttp, KommoResponse, problemDetail } from './kommo-http';
import { KommoApiError } from './kommo.errors';

/**
 * Authorised calls to an account's Kommo API. Tokens come only from the token service;
 * a 401 refreshes once and retries once (Kommo's documented advice), never more.
 */
export class KommoApiClient {
  constructor(
    private readonly http: KommoHttp,
    private readonly tokens: KommoAccessTokens,
  ) {}

  async request(
    accountId: number,
    request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown },
  ): Promise<KommoResponse> {
    let access = await this.tokens.get(accountId);
    let response = await this.http.send(access.host, { ...request, accessToken: access.accessToken });
    if (response.status === 401) {
      access = await this.tokens.renewRejected(accountId, access.accessToken);
      response = await this.http.send(access.host, { ...request, accessToken: access.accessToken });
    }
    if (response.status >= 400) {
      const retryable = response.status === 429 || response.status >= 500;
      throw new KommoApiError(response.status, problemDetail(response.body, `HTTP ${response.status}`), retryable);
    }
    return response;
  }
}
