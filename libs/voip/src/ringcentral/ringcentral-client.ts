import { createHash } from 'node:crypto';
import type { VoipConnection } from '@app/domain';

export interface RingCentralClientOptions {
  /** RINGCENTRAL_API_BASE_URL: https://platform.ringcentral.com, the sandbox, or a local fake. */
  readonly apiBaseUrl: string;
  readonly timeoutMs: number;
}

/** A refusal or failure of RingCentral's REST API; `status` 0 when it did not answer. */
export class RingCentralApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RingCentralApiError';
  }
}

interface TokenSet {
  readonly fingerprint: string;
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly refreshToken: string | null;
  readonly refreshExpiresAt: number;
}

/** Tokens are renewed this long before they expire. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Server-to-server auth (voip.md §2.1): the connection's JWT credential is exchanged at `/restapi/oauth/token`
 * (RFC 7523 jwt-bearer, Basic auth with the app's client id and secret). Access tokens are cached per connection
 * (the token endpoint is rate-limited), refreshed with the refresh token, else by presenting the JWT again;
 * concurrent callers share one request. Changing the credentials drops the cached token.
 */
export class RingCentralAccessTokens {
  private readonly cache = new Map<string, TokenSet>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly options: RingCentralClientOptions,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(connection: VoipConnection): Promise<string> {
    const fingerprint = fingerprintOf(connection);
    const cached = this.cache.get(connection.id);
    if (cached && cached.fingerprint === fingerprint && cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return cached.accessToken;
    const running = this.inflight.get(connection.id);
    if (running) return running;
    const request = this.obtain(connection, fingerprint, cached?.fingerprint === fingerprint ? cached : undefined).finally(() => this.inflight.delete(connection.id));
    this.inflight.set(connection.id, request);
    return request;
  }

  /** After a 401: the next call gets a fresh token. */
  invalidate(connection: VoipConnection): void {
    this.cache.delete(connection.id);
  }

  private async obtain(connection: VoipConnection, fingerprint: string, previous: TokenSet | undefined): Promise<string> {
    if (previous?.refreshToken && previous.refreshExpiresAt - EXPIRY_MARGIN_MS > this.now()) {
      try {
        return this.store(connection.id, fingerprint, await this.tokenRequest(connection, { grant_type: 'refresh_token', refresh_token: previous.refreshToken }));
      } catch {
        // A refused refresh token: present the JWT again (it is a credential, not a session).
      }
    }
    const assertion = connection.credentials.jwt ?? '';
    return this.store(connection.id, fingerprint, await this.tokenRequest(connection, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }));
  }

  private store(connectionId: string, fingerprint: string, body: Record<string, unknown>): string {
    const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
    if (!accessToken) throw new RingCentralApiError(502, null, 'RingCentral token endpoint returned no access_token');
    const seconds = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
    const now = this.now();
    this.cache.set(connectionId, {
      fingerprint,
      accessToken,
      expiresAt: now + seconds(body.expires_in, 3600) * 1000,
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
      refreshExpiresAt: now + seconds(body.refresh_token_expires_in, 0) * 1000,
    });
    return accessToken;
  }

  private async tokenRequest(connection: VoipConnection, form: Record<string, string>): Promise<Record<string, unknown>> {
    const basic = Buffer.from(`${connection.credentials.clientId ?? ''}:${connection.credentials.clientSecret ?? ''}`).toString('base64');
    let response: Response;
    try {
      response = await fetch(`${this.options.apiBaseUrl}/restapi/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new RingCentralApiError(0, null, `RingCentral token endpoint unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const code = typeof body.error === 'string' ? body.error : (typeof body.errorCode === 'string' ? body.errorCode : null);
      const description = typeof body.error_description === 'string' ? body.error_description : (typeof body.message === 'string' ? body.message : '');
      throw new RingCentralApiError(response.status, code, `RingCentral refused the credentials (${response.status}${code ? ` ${code}` : ''}${description ? `: ${description}` : ''})`);
    }
    return body;
  }
}

/**
 * RingCentral's REST API with a connection's token. Every request goes to the configured base URL (absolute
 * `uri`s RingCentral returns are re-rooted there); a 401 renews the token and retries once.
 */
export class RingCentralClient {
  constructor(
    private readonly tokens: RingCentralAccessTokens,
    private readonly options: RingCentralClientOptions,
  ) {}

  async request<T>(
    connection: VoipConnection,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    pathOrUri: string,
    input: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<T> {
    const url = new URL(rootedPath(pathOrUri), `${this.options.apiBaseUrl}/`);
    for (const [name, value] of Object.entries(input.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.tokens.get(connection);
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: input.body !== undefined ? JSON.stringify(input.body) : undefined,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        throw new RingCentralApiError(0, null, `RingCentral did not answer ${method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (response.status === 401 && attempt === 1) {
        await response.body?.cancel();
        this.tokens.invalidate(connection);
        continue;
      }
      const text = await response.text();
      const body = text ? (safeJson(text) as T) : (undefined as T);
      if (!response.ok) {
        const detail = (body ?? {}) as { errorCode?: unknown; message?: unknown; errors?: { errorCode?: unknown; message?: unknown }[] };
        const code = typeof detail.errorCode === 'string' ? detail.errorCode : typeof detail.errors?.[0]?.errorCode === 'string' ? detail.errors[0].errorCode : null;
        const message = typeof detail.message === 'string' ? detail.message : typeof detail.errors?.[0]?.message === 'string' ? detail.errors[0].message : '';
        throw new RingCentralApiError(response.status, code, `RingCentral ${method} ${url.pathname} → ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
      }
      return body;
    }
  }
}

/** RingCentral's navigation links are absolute (`https://platform.ringcentral.com/restapi/...`): keep path + query only. */
function rootedPath(pathOrUri: string): string {
  if (/^https?:\/\//i.test(pathOrUri)) {
    const parsed = new URL(pathOrUri);
    return `${parsed.pathname}${parsed.search}`.replace(/^\//, '');
  }
  return pathOrUri.replace(/^\//, '');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function fingerprintOf(connection: VoipConnection): string {
  const { clientId = '', clientSecret = '', jwt = '' } = connection.credentials;
  return createHash('sha256').update(`${clientId}\n${clientSecret}\n${jwt}`).digest('hex');
}
