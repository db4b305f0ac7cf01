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

  /**
   * Kommo's answer whatever its status, body included (callers that read Kommo's 4xx bodies, e.g. the
   * "Entity not found" items of /calls, need it). Throws only for transport, rate-limiter and token errors.
   */
  async send(
    accountId: number,
    request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; sendBy?: number },
  ): Promise<KommoResponse> {
    let access = await this.tokens.get(accountId);
    let response = await this.http.send(access.host, { ...request, accessToken: access.accessToken });
    if (response.status === 401) {
      access = await this.tokens.renewRejected(accountId, access.accessToken);
      response = await this.http.send(access.host, { ...request, accessToken: access.accessToken });
    }
    return response;
  }

  /** A 2xx answer, or `KommoApiError` (429 and 5xx retryable). */
  async request(
    accountId: number,
    request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; sendBy?: number },
  ): Promise<KommoResponse> {
    const response = await this.send(accountId, request);
    if (response.status >= 400) {
      const retryable = response.status === 429 || response.status >= 500;
      throw new KommoApiError(response.status, problemDetail(response.body, `HTTP ${response.status}`), retryable);
    }
    return response;
  }
}
