export enum KommoAccountStatus {
  Connected = 'connected',
  /** Kommo rejected our refresh token: an admin must authorise the integration again. Work is parked. */
  NeedsReauth = 'needs_reauth',
  /** Uninstalled: tokens wiped. */
  Disconnected = 'disconnected',
  /**
   * Kommo answers 403 to every request (its block after repeated limit violations, lifted by Kommo's
   * support). Work is parked; authorising the integration again resumes it.
   */
  Blocked = 'blocked',
}

export interface KommoTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
}

export interface KommoTokenGrant {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Lifetime of the access token in seconds, as Kommo reports it. */
  readonly expiresInSeconds: number;
}

export interface KommoAccountProps {
  readonly id: number;
  subdomain: string;
  /** Bare account host, e.g. `acme.kommo.com`: every Kommo API URL of the account is derived from it. */
  host: string;
  name: string;
  /**
   * The account's country as Kommo reports it (upper-case ISO alpha-2), or null when unknown: numbers given
   * without a country code for this account are read in it.
   */
  country: string | null;
  status: KommoAccountStatus;
  tokens: KommoTokens | null;
  /** Incremented on every token write; guards against a stale writer overwriting a newer pair. */
  tokenVersion: number;
  statusReason: string | null;
  statusChangedAt: Date;
  connectedAt: Date | null;
}

/** A Kommo account that installed the integration (the tenant). */
export class KommoAccount {
  private constructor(private readonly props: KommoAccountProps) {}

  static connect(input: {
    id: number;
    subdomain: string;
    host: string;
    name: string;
    country?: string | null;
    grant: KommoTokenGrant;
    now: Date;
  }): KommoAccount {
    const account = new KommoAccount({
      id: input.id,
      subdomain: input.subdomain,
      host: input.host,
      name: input.name,
      country: input.country ?? null,
      status: KommoAccountStatus.Connected,
      tokens: null,
      tokenVersion: 0,
      statusReason: null,
      statusChangedAt: input.now,
      connectedAt: input.now,
    });
    account.storeGrant(input.grant, input.now);
    return account;
  }

  static restore(props: KommoAccountProps): KommoAccount {
    return new KommoAccount({ ...props });
  }

  get id(): number {
    return this.props.id;
  }
  get subdomain(): string {
    return this.props.subdomain;
  }
  get host(): string {
    return this.props.host;
  }
  get name(): string {
    return this.props.name;
  }
  get country(): string | null {
    return this.props.country;
  }
  get status(): KommoAccountStatus {
    return this.props.status;
  }
  get tokens(): KommoTokens | null {
    return this.props.tokens;
  }
  get tokenVersion(): number {
    return this.props.tokenVersion;
  }
  get statusReason(): string | null {
    return this.props.statusReason;
  }
  get statusChangedAt(): Date {
    return this.props.statusChangedAt;
  }
  get connectedAt(): Date | null {
    return this.props.connectedAt;
  }

  snapshot(): KommoAccountProps {
    return { ...this.props };
  }

  /**
   * A fresh authorisation (install again, or re-authorise after `needs_reauth`). The country Kommo reports now
   * replaces the stored one; an answer without a recognisable country keeps what we knew.
   */
  reconnect(input: { subdomain: string; host: string; name: string; country?: string | null; grant: KommoTokenGrant; now: Date }): void {
    this.props.subdomain = input.subdomain;
    this.props.host = input.host;
    this.props.name = input.name;
    if (input.country) this.props.country = input.country;
    this.props.status = KommoAccountStatus.Connected;
    this.props.statusReason = null;
    this.props.statusChangedAt = input.now;
    this.props.connectedAt = input.now;
    this.storeGrant(input.grant, input.now);
  }

  storeGrant(grant: KommoTokenGrant, now: Date): void {
    this.props.tokens = {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      expiresAt: new Date(now.getTime() + grant.expiresInSeconds * 1000),
    };
    this.props.tokenVersion += 1;
  }

  /** True when the access token is missing, expired, or expires within `marginMs`. */
  accessTokenExpiresWithin(now: Date, marginMs: number): boolean {
    const tokens = this.props.tokens;
    return !tokens || tokens.expiresAt.getTime() - now.getTime() <= marginMs;
  }

  markNeedsReauth(reason: string, now: Date): void {
    this.props.status = KommoAccountStatus.NeedsReauth;
    this.props.statusReason = reason;
    this.props.statusChangedAt = now;
    // The refresh token is dead; keep nothing that could tempt a retry loop.
    this.props.tokens = null;
    this.props.tokenVersion += 1;
  }

  /** Kommo blocked the account for us: stop calling it (tokens stay: they are not the problem). */
  markBlocked(reason: string, now: Date): void {
    if (this.props.status !== KommoAccountStatus.Connected) return;
    this.props.status = KommoAccountStatus.Blocked;
    this.props.statusReason = reason;
    this.props.statusChangedAt = now;
  }

  disconnect(reason: string, now: Date): void {
    this.props.status = KommoAccountStatus.Disconnected;
    this.props.statusReason = reason;
    this.props.statusChangedAt = now;
    this.props.tokens = null;
    this.props.tokenVersion += 1;
  }
}
