import { Clock } from '../shared/clock.port';
import { DistributedLock } from '../shared/distributed-lock.port';
import { KommoAccount, KommoAccountStatus } from './kommo-account';
import { KommoAccountRepository } from './kommo-account.repository.port';
import {
  AccountBlockedError,
  AccountNeedsReauthError,
  AccountNotConnectedError,
  InvalidGrantError,
} from './kommo-authentication.errors';
import { KommoOAuth } from './kommo-oauth.port';

export interface KommoAccessTokensOptions {
  /** Refresh proactively when the access token expires within this margin. */
  readonly refreshMarginMs: number;
  /** Upper bound of one refresh (the lock's TTL). */
  readonly lockTtlMs: number;
  /** How long a caller waits for a sibling's refresh before giving up (retryable). */
  readonly lockWaitMs: number;
}

export interface KommoAccess {
  readonly accountId: number;
  readonly host: string;
  readonly accessToken: string;
}

/**
 * The one token service. Every Kommo call gets its token here.
 * - proactive refresh before expiry;
 * - single flight: one in-process promise per account, and a per-account distributed lock across
 *   processes; the account is re-read after taking the lock, so a sibling's fresh pair is reused;
 * - `invalid_grant` marks the account needs-reauth (never a refresh loop).
 */
export class KommoAccessTokens {
  /** Keyed by account AND the token being replaced: a caller never joins a flight that may hand back the token it saw rejected. */
  private readonly inFlight = new Map<string, Promise<KommoAccess>>();

  constructor(
    private readonly accounts: KommoAccountRepository,
    private readonly oauth: KommoOAuth,
    private readonly lock: DistributedLock,
    private readonly clock: Clock,
    private readonly options: KommoAccessTokensOptions,
  ) {}

  async get(accountId: number): Promise<KommoAccess> {
    const account = usable(await this.accounts.findById(accountId), accountId);
    if (!account.accessTokenExpiresWithin(this.clock.now(), this.options.refreshMarginMs)) {
      return accessOf(account);
    }
    return this.singleFlight(accountId, account.tokens?.accessToken ?? null);
  }

  /** Kommo answered 401 to `rejectedAccessToken`: refresh once (unless a sibling already did). */
  async renewRejected(accountId: number, rejectedAccessToken: string): Promise<KommoAccess> {
    return this.singleFlight(accountId, rejectedAccessToken);
  }

  private singleFlight(accountId: number, staleAccessToken: string | null): Promise<KommoAccess> {
    const key = `${accountId}:${staleAccessToken ?? ''}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const refresh = this.lock
      .run(
        `kommo-token-${accountId}`,
        { ttlMs: this.options.lockTtlMs, waitMs: this.options.lockWaitMs },
        () => this.refreshHoldingLock(accountId, staleAccessToken),
      )
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, refresh);
    return refresh;
  }

  private async refreshHoldingLock(accountId: number, staleAccessToken: string | null): Promise<KommoAccess> {
    const account = usable(await this.accounts.findById(accountId), accountId);
    const tokens = account.tokens;
    const now = this.clock.now();
    if (
      tokens &&
      tokens.accessToken !== staleAccessToken &&
      !account.accessTokenExpiresWithin(now, this.options.refreshMarginMs)
    ) {
      return accessOf(account); // another process rotated the pair while we waited
    }
    if (!tokens) throw new AccountNotConnectedError(accountId);

    const version = account.tokenVersion;
    try {
      const grant = await this.oauth.refresh(account.host, tokens.refreshToken);
      account.storeGrant(grant, this.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidGrantError)) throw error;
      // A sibling whose lock expired may have rotated the pair meanwhile: re-read once before giving up.
      const latest = await this.accounts.findById(accountId);
      if (latest && latest.tokenVersion !== version && latest.status === KommoAccountStatus.Connected) {
        return accessOf(latest);
      }
      account.markNeedsReauth(error.message, this.clock.now());
      await this.accounts.saveIfTokenVersion(account, version);
      throw new AccountNeedsReauthError(accountId);
    }
    if (!(await this.accounts.saveIfTokenVersion(account, version))) {
      return accessOf(usable(await this.accounts.findById(accountId), accountId));
    }
    return accessOf(account);
  }
}

function usable(account: KommoAccount | null, accountId: number): KommoAccount {
  if (!account || account.status === KommoAccountStatus.Disconnected) {
    throw new AccountNotConnectedError(accountId);
  }
  if (account.status === KommoAccountStatus.NeedsReauth) throw new AccountNeedsReauthError(accountId);
  if (account.status === KommoAccountStatus.Blocked) throw new AccountBlockedError(accountId);
  return account;
}

function accessOf(account: KommoAccount): KommoAccess {
  if (!account.tokens) throw new AccountNotConnectedError(account.id);
  return { accountId: account.id, host: account.host, accessToken: account.tokens.accessToken };
}
