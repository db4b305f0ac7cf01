import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { AccountRecord, UserRecord } from '../store/model';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from '../sandbox-options';
import { SandboxStore } from '../store/sandbox-store';
import { signHs256 } from './jwt';

export const CODE_TTL_SECONDS = 20 * 60;
export const ACCESS_TTL_SECONDS = 24 * 3600;
export const REFRESH_TTL_SECONDS = 90 * 86400;
export const WIDGET_JWT_TTL_SECONDS = 30 * 60;

interface Grant {
  id: string;
  accountId: number;
  userId: number;
  clientId: string;
  revoked: boolean;
  createdAt: number;
}

interface CodeRecord {
  code: string;
  accountId: number;
  userId: number;
  expiresAt: number;
  used: boolean;
}

interface AccessRecord {
  token: string;
  grantId: string;
  accountId: number;
  userId: number;
  generation: number;
  expiresAt: number;
}

interface RefreshRecord {
  token: string;
  grantId: string;
  generation: number;
  expiresAt: number;
  outdated: boolean;
  used: boolean;
}

export interface TokenRequestEntry {
  grantType: string;
  outcome: string;
  at: number;
  refreshToken?: string;
}

export interface TokenPair {
  token_type: 'Bearer';
  expires_in: number;
  server_time: number;
  access_token: string;
  refresh_token: string;
}

export type TokenOutcome =
  | { ok: true; accountId: number; pair: TokenPair }
  | { ok: false; accountId: number | null; status: number; hint: string; detail: string; outcome: string };

export interface AccessCheck {
  account: AccountRecord;
  user: UserRecord;
}

/** Kommo's OAuth 2.0 server: codes, grants, access JWTs, rotating refresh tokens, revocation. */
@Injectable()
export class OAuthService {
  private readonly signingKey = randomBytes(32).toString('hex');
  private grants = new Map<string, Grant>();
  private codes = new Map<string, CodeRecord>();
  private access = new Map<string, AccessRecord>();
  private refresh = new Map<string, RefreshRecord>();
  private history = new Map<number, TokenRequestEntry[]>();

  constructor(
    private readonly store: SandboxStore,
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
  ) {
    store.onReset(() => {
      this.grants = new Map();
      this.codes = new Map();
      this.access = new Map();
      this.refresh = new Map();
      this.history = new Map();
    });
  }

  get integration(): ResolvedSandboxOptions['integration'] {
    return this.options.integration;
  }

  /** "Allow" on the authorization page: a fresh 20-minute single-use code. */
  issueCode(accountId: number, userId: number): string {
    const code = `def50200${randomBytes(48).toString('hex')}`;
    this.codes.set(code, { code, accountId, userId, expiresAt: this.store.now() + CODE_TTL_SECONDS, used: false });
    return code;
  }

  /** Where the browser goes after "Allow" (state omitted when none was given). */
  redirectLocation(account: AccountRecord, code: string, state: string | undefined, fromWidget = false): string {
    const url = new URL(this.integration.redirectUri);
    url.searchParams.set('code', code);
    if (state !== undefined && state !== '') url.searchParams.set('state', state);
    url.searchParams.set('referer', this.store.hostOf(account));
    url.searchParams.set('client_id', this.integration.clientId);
    if (fromWidget) url.searchParams.set('from_widget', '1');
    return url.toString();
  }

  deniedLocation(state: string | undefined): string {
    const url = new URL(this.integration.redirectUri);
    url.searchParams.set('error', 'access_denied');
    url.searchParams.set('client_id', this.integration.clientId);
    if (state !== undefined && state !== '') url.searchParams.set('state', state);
    return url.toString();
  }

  /** `POST /oauth2/access_token`. `hostAccount` is the account whose host was called (if any). */
  exchange(body: unknown, hostAccount: AccountRecord | undefined): TokenOutcome {
    const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const grantType = typeof input.grant_type === 'string' ? input.grant_type : 'missing';
    const outcome = this.decide(input, grantType, hostAccount);
    const accountId = outcome.accountId ?? hostAccount?.id ?? null;
    if (accountId !== null) {
      this.record(accountId, {
        grantType,
        outcome: outcome.ok ? 'issued' : outcome.outcome,
        at: Date.now(),
        ...(grantType === 'refresh_token' && typeof input.refresh_token === 'string' ? { refreshToken: input.refresh_token } : {}),
      });
    }
    return outcome;
  }

  record(accountId: number, entry: TokenRequestEntry): void {
    const list = this.history.get(accountId) ?? [];
    list.push(entry);
    this.history.set(accountId, list);
  }

  historyOf(accountId: number): { tokenRequests: TokenRequestEntry[]; counts: Record<string, number> } {
    const tokenRequests = this.history.get(accountId) ?? [];
    const counts: Record<string, number> = { authorization_code: 0, refresh_token: 0 };
    for (const entry of tokenRequests) counts[entry.grantType] = (counts[entry.grantType] ?? 0) + 1;
    return { tokenRequests, counts };
  }

  /** The refresh tokens of an account's grants, newest generation last (state inspection). */
  refreshChainOf(accountId: number): { grantId: string; userId: number; revoked: boolean; generation: number; valid: boolean; used: boolean; expiresAt: number }[] {
    const now = this.store.now();
    return [...this.refresh.values()]
      .map((record) => ({ record, grant: this.grants.get(record.grantId)! }))
      .filter(({ grant }) => grant.accountId === accountId)
      .map(({ record, grant }) => ({
        grantId: grant.id,
        userId: grant.userId,
        revoked: grant.revoked,
        generation: record.generation,
        used: record.used,
        valid: !grant.revoked && !record.outdated && record.expiresAt > now,
        expiresAt: record.expiresAt,
      }));
  }

  /** Access token → account and user, or null (unknown, expired, revoked). Marks the pair as used. */
  authenticate(token: string): AccessCheck | null {
    const record = this.access.get(token);
    if (!record) return null;
    const grant = this.grants.get(record.grantId);
    if (!grant || grant.revoked || record.expiresAt <= this.store.now()) return null;
    const account = this.store.crm.accounts.get(record.accountId);
    const user = account ? this.store.user(account.id, record.userId) : undefined;
    if (!account || !user) return null;
    if (this.options.assumptions.oldRefreshTokenValidUntil === 'new-pair-used') this.outdateOlderThan(grant.id, record.generation, null);
    return { account, user };
  }

  /** Which account a token belongs to, valid or not (for rate limiting and the request log). */
  accountOfToken(token: string): number | null {
    return this.access.get(token)?.accountId ?? null;
  }

  expireAccessTokens(accountId: number): number {
    let count = 0;
    for (const record of this.access.values()) {
      if (record.accountId === accountId && record.expiresAt > this.store.now()) {
        record.expiresAt = this.store.now() - 1;
        count++;
      }
    }
    return count;
  }

  revoke(accountId: number): number {
    let count = 0;
    for (const grant of this.grants.values()) {
      if (grant.accountId === accountId && !grant.revoked) {
        grant.revoked = true;
        count++;
      }
    }
    return count;
  }

  uninstallSignature(accountId: number): string {
    return createHmac('sha256', this.integration.clientSecret).update(`${this.integration.clientId}|${accountId}`).digest('hex');
  }

  /** The widget's `X-Auth-Token` (§1.6): HS256 with the client secret, 30 minutes. */
  widgetJwt(account: AccountRecord, user: UserRecord, overrides: Record<string, unknown>, ttlSeconds?: number, secret?: string): string {
    const now = this.store.now();
    const claims: Record<string, unknown> = {
      iss: `https://${this.store.hostOf(account)}`,
      aud: new URL(this.integration.redirectUri).origin,
      jti: randomUUID(),
      iat: now,
      nbf: now,
      exp: now + (ttlSeconds ?? WIDGET_JWT_TTL_SECONDS),
      account_id: account.id,
      base_domain: 'kommo.com',
      account_uuid: account.uuid,
      subdomain: account.subdomain,
      user_id: user.id,
      client_uuid: this.integration.clientId,
      is_admin: user.isAdmin,
      ...overrides,
    };
    return signHs256(claims, secret ?? this.integration.clientSecret);
  }

  private decide(input: Record<string, unknown>, grantType: string, hostAccount: AccountRecord | undefined): TokenOutcome {
    const accountId = hostAccount?.id ?? null;
    const fail = (status: number, outcome: string, hint: string, detail: string, forAccount = accountId): TokenOutcome => ({
      ok: false,
      accountId: forAccount,
      status,
      hint,
      detail,
      outcome,
    });
    if (input.client_id !== this.integration.clientId) return fail(400, 'invalid_client', 'Client not found', 'Client authentication failed');
    if (input.client_secret !== this.integration.clientSecret) return fail(401, 'invalid_client', 'Client authentication failed', 'Client authentication failed');
    if (input.redirect_uri !== this.integration.redirectUri) return fail(400, 'invalid_request', 'Redirect URI mismatch', 'The redirect_uri does not match the integration');
    const now = this.store.now();

    if (grantType === 'authorization_code') {
      const code = typeof input.code === 'string' ? this.codes.get(input.code) : undefined;
      if (!code) return fail(400, 'invalid_grant', 'Cannot decrypt the authorization code', 'Authorization code is invalid');
      if (hostAccount && hostAccount.id !== code.accountId) return fail(400, 'invalid_grant', 'Authorization code was issued for another account', 'Authorization code is invalid');
      if (code.used) return fail(400, 'invalid_grant', 'Authorization code has been revoked', 'Authorization code has been used', code.accountId);
      if (code.expiresAt <= now) return fail(400, 'invalid_grant', 'Authorization code has expired', 'Authorization code has expired', code.accountId);
      code.used = true;
      const grant: Grant = { id: randomUUID(), accountId: code.accountId, userId: code.userId, clientId: this.integration.clientId, revoked: false, createdAt: now };
      this.grants.set(grant.id, grant);
      return { ok: true, accountId: grant.accountId, pair: this.issuePair(grant, 1) };
    }

    if (grantType === 'refresh_token') {
      const status = this.options.assumptions.invalidRefreshTokenStatus;
      const record = typeof input.refresh_token === 'string' ? this.refresh.get(input.refresh_token) : undefined;
      if (!record) return fail(status, 'invalid_grant', 'Cannot decrypt the refresh token', 'Refresh token is invalid');
      const grant = this.grants.get(record.grantId)!;
      if (hostAccount && hostAccount.id !== grant.accountId) return fail(status, 'invalid_grant', 'Refresh token was issued for another account', 'Refresh token is invalid');
      if (grant.revoked) return fail(status, 'invalid_grant', 'Token has been revoked', 'Refresh token has been revoked', grant.accountId);
      if (record.outdated) return fail(status, 'invalid_grant', 'Token has been revoked', 'Refresh token is outdated', grant.accountId);
      if (record.expiresAt <= now) return fail(status, 'invalid_grant', 'Token has expired', 'Refresh token has expired', grant.accountId);
      record.used = true;
      this.outdateOlderThan(grant.id, record.generation, record.token);
      return { ok: true, accountId: grant.accountId, pair: this.issuePair(grant, record.generation + 1) };
    }

    return fail(400, 'unsupported_grant_type', 'The authorization grant type is not supported', 'Unsupported grant type');
  }

  /** Using token T of generation g outdates every other token of generation ≤ g (T's parent and siblings). */
  private outdateOlderThan(grantId: string, generation: number, keep: string | null): void {
    for (const record of this.refresh.values()) {
      if (record.grantId !== grantId || record.token === keep) continue;
      if (keep === null ? record.generation < generation : record.generation <= generation) record.outdated = true;
    }
  }

  private issuePair(grant: Grant, generation: number): TokenPair {
    const now = this.store.now();
    const account = this.store.crm.accounts.get(grant.accountId)!;
    const accessToken = signHs256(
      {
        aud: grant.clientId,
        jti: randomUUID(),
        iat: now,
        nbf: now,
        exp: now + ACCESS_TTL_SECONDS,
        sub: String(grant.userId),
        grant_type: '',
        account_id: grant.accountId,
        base_domain: 'kommo.com',
        version: 2,
        scopes: ['crm', 'notifications'],
        hash_uuid: randomUUID(),
        api_domain: this.store.hostOf(account),
      },
      this.signingKey,
    );
    const refreshToken = `def50200${randomBytes(96).toString('hex')}`;
    this.access.set(accessToken, {
      token: accessToken,
      grantId: grant.id,
      accountId: grant.accountId,
      userId: grant.userId,
      generation,
      expiresAt: now + ACCESS_TTL_SECONDS,
    });
    this.refresh.set(refreshToken, {
      token: refreshToken,
      grantId: grant.id,
      generation,
      expiresAt: now + REFRESH_TTL_SECONDS,
      outdated: false,
      used: false,
    });
    return { token_type: 'Bearer', expires_in: ACCESS_TTL_SECONDS, server_time: now, access_token: accessToken, refresh_token: refreshToken };
  }
}
