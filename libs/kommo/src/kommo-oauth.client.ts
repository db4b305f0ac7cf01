import {
  AuthorizationCodeRejectedError,
  InvalidGrantError,
  KommoAccountInfo,
  KommoOAuth,
  KommoTokenGrant,
  KommoUnavailableError,
} from '@app/domain';
import { KommoClientConfig } from './kommo-client.config';
import { KommoHttp, KommoResponse, problemDetail } from './kommo-http';
import { KommoApiError } from './kommo.errors';

/**
 * Kommo's token endpoint (`POST https://{account host}/oauth2/access_token`) and account endpoint.
 *
 * UNCONFIRMED (kommo-api.md §1.2): the body of OAuth errors. We treat 400 and 401 from the token
 * endpoint as a refusal (dead code / dead refresh token) and everything else that is not 200 —
 * 403 (rate-limit block), 429, 5xx, network — as "Kommo unavailable, retry later", so a
 * temporary block never marks an account as needing re-authorisation.
 */
export class KommoOAuthClient implements KommoOAuth {
  constructor(
    private readonly http: KommoHttp,
    private readonly config: KommoClientConfig,
  ) {}

  async exchangeAuthorizationCode(host: string, code: string): Promise<KommoTokenGrant> {
    const response = await this.tokenRequest(host, { grant_type: 'authorization_code', code });
    if (isRefusal(response)) {
      throw new AuthorizationCodeRejectedError(problemDetail(response.body, `HTTP ${response.status}`));
    }
    return toGrant(response);
  }

  async refresh(host: string, refreshToken: string): Promise<KommoTokenGrant> {
    const response = await this.tokenRequest(host, { grant_type: 'refresh_token', refresh_token: refreshToken });
    if (isRefusal(response)) {
      throw new InvalidGrantError(problemDetail(response.body, `HTTP ${response.status}`));
    }
    return toGrant(response);
  }

  async fetchAccount(host: string, accessToken: string): Promise<KommoAccountInfo> {
    const response = await unavailableOnNetworkError(() =>
      this.http.send(host, { method: 'GET', path: '/api/v4/account', accessToken }),
    );
    if (response.status !== 200) {
      const detail = problemDetail(response.body, `HTTP ${response.status}`);
      if (response.status === 401) throw new AuthorizationCodeRejectedError(`account lookup refused: ${detail}`);
      throw new KommoUnavailableError(`account lookup failed: ${detail}`);
    }
    const body = response.body as Record<string, unknown> | null;
    const id = body?.id;
    const subdomain = body?.subdomain;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0 || typeof subdomain !== 'string') {
      throw new KommoUnavailableError('account lookup returned an unexpected body');
    }
    return { id, subdomain, name: typeof body?.name === 'string' ? body.name : subdomain, country: accountCountryOf(body?.country) };
  }

  private tokenRequest(host: string, grant: Record<string, string>): Promise<KommoResponse> {
    return unavailableOnNetworkError(() =>
      this.http.send(host, {
        method: 'POST',
        path: '/oauth2/access_token',
        body: {
          client_id: this.config.clientId,
          client_secret: this.config.clientSecret,
          redirect_uri: this.config.redirectUri,
          ...grant,
        },
      }),
    );
  }
}

/**
 * UNCONFIRMED (kommo-api.md §2.1): the format of the account's `country`. A two-letter code in any case is read as
 * an ISO 3166-1 alpha-2 code (upper-cased); anything else (a name, a locale, empty, missing) is unknown.
 */
export function accountCountryOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim();
  return /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : null;
}

function isRefusal(response: KommoResponse): boolean {
  return response.status === 400 || response.status === 401;
}

function toGrant(response: KommoResponse): KommoTokenGrant {
  if (response.status !== 200) {
    throw new KommoUnavailableError(`token endpoint answered ${response.status}: ${problemDetail(response.body, 'no detail')}`);
  }
  const body = response.body as Record<string, unknown> | null;
  const accessToken = body?.access_token;
  const refreshToken = body?.refresh_token;
  const expiresIn = body?.expires_in;
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || typeof expiresIn !== 'number' || expiresIn <= 0) {
    throw new KommoUnavailableError('token endpoint returned an unexpected body');
  }
  return { accessToken, refreshToken, expiresInSeconds: expiresIn };
}

async function unavailableOnNetworkError(send: () => Promise<KommoResponse>): Promise<KommoResponse> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof KommoApiError) throw new KommoUnavailableError(error.detail);
    throw error;
  }
}
