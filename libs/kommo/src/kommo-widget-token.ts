import { createHmac, timingSafeEqual } from 'node:crypto';

/** The verified claims of Kommo's widget `X-Auth-Token` (kommo-api.md §1.6). */
export interface KommoWidgetClaims {
  readonly accountId: number;
  readonly userId: number;
  readonly subdomain: string;
  /** `iss` host, e.g. `acme.kommo.com`. */
  readonly issuerHost: string;
  readonly isAdmin: boolean | null;
  readonly jti: string | null;
  readonly expiresAt: Date;
}

export class WidgetTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid widget token: ${reason}`);
    this.name = 'WidgetTokenError';
  }
}

export interface WidgetTokenVerifierOptions {
  readonly clientSecret: string;
  readonly clientId: string;
  /** Our public origin (scheme://host[:port]); the token's `aud` must equal it. */
  readonly audience: string;
  readonly clockSkewSeconds: number;
}

/**
 * HS256 only (the algorithm is pinned, `alg` in the header is checked, never trusted),
 * signature compared in constant time, then aud, nbf/exp (with skew), client_uuid and claim types.
 */
export class KommoWidgetTokenVerifier {
  constructor(private readonly options: WidgetTokenVerifierOptions) {}

  verify(token: string, now: Date): KommoWidgetClaims {
    const parts = token.split('.');
    if (parts.length !== 3) throw new WidgetTokenError('malformed');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

    const header = decodeJson(headerPart);
    if (header.alg !== 'HS256') throw new WidgetTokenError('unexpected algorithm');

    const expected = createHmac('sha256', this.options.clientSecret).update(`${headerPart}.${payloadPart}`).digest();
    const given = Buffer.from(signaturePart, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new WidgetTokenError('bad signature');
    }

    const claims = decodeJson(payloadPart);
    const seconds = now.getTime() / 1000;
    const skew = this.options.clockSkewSeconds;
    if (typeof claims.exp !== 'number') throw new WidgetTokenError('no exp');
    if (seconds - skew >= claims.exp) throw new WidgetTokenError('expired');
    if (typeof claims.nbf === 'number' && seconds + skew < claims.nbf) throw new WidgetTokenError('not yet valid');
    if (typeof claims.iat === 'number' && seconds + skew < claims.iat) throw new WidgetTokenError('issued in the future');
    if (!audienceMatches(claims.aud, this.options.audience)) throw new WidgetTokenError('wrong audience');
    if (claims.client_uuid !== undefined && claims.client_uuid !== this.options.clientId) {
      throw new WidgetTokenError('issued for another integration');
    }

    const accountId = toPositiveInt(claims.account_id);
    const userId = toPositiveInt(claims.user_id);
    if (accountId === null || userId === null) throw new WidgetTokenError('missing account_id or user_id');
    const issuerHost = hostOf(claims.iss);
    if (!issuerHost) throw new WidgetTokenError('bad iss');

    return {
      accountId,
      userId,
      subdomain: typeof claims.subdomain === 'string' ? claims.subdomain : issuerHost.split('.')[0],
      issuerHost,
      isAdmin: typeof claims.is_admin === 'boolean' ? claims.is_admin : null,
      jti: typeof claims.jti === 'string' ? claims.jti : null,
      expiresAt: new Date(claims.exp * 1000),
    };
  }
}

function decodeJson(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new WidgetTokenError('malformed');
}

function audienceMatches(aud: unknown, expected: string): boolean {
  const normalise = (value: string) => value.replace(/\/+$/, '').toLowerCase();
  if (typeof aud === 'string') return normalise(aud) === normalise(expected);
  if (Array.isArray(aud)) return aud.some((item) => typeof item === 'string' && normalise(item) === normalise(expected));
  return false;
}

function toPositiveInt(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : null;
}

function hostOf(iss: unknown): string | null {
  if (typeof iss !== 'string') return null;
  try {
    const url = new URL(iss);
    return url.protocol === 'https:' ? url.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}
