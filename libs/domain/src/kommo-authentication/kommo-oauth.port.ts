import { KommoTokenGrant } from './kommo-account';

export interface KommoAccountInfo {
  readonly id: number;
  readonly subdomain: string;
  readonly name: string;
  /** The account's country as an upper-case ISO 3166-1 alpha-2 code, or null when Kommo gave none we recognise. */
  readonly country: string | null;
}

/**
 * Kommo's OAuth 2.0 server and the account endpoint, addressed by the account host.
 * Adapters throw AuthorizationCodeRejectedError / InvalidGrantError for refusals and
 * KommoUnavailableError for anything worth retrying.
 */
export interface KommoOAuth {
  exchangeAuthorizationCode(host: string, code: string): Promise<KommoTokenGrant>;
  refresh(host: string, refreshToken: string): Promise<KommoTokenGrant>;
  fetchAccount(host: string, accessToken: string): Promise<KommoAccountInfo>;
}

/** Which hosts are Kommo account hosts. Checked BEFORE our client secret is sent anywhere. */
export interface KommoAccountHostPolicy {
  /** The normalised bare host when `referer` is a Kommo account host, otherwise null. */
  accountHostOf(referer: string): string | null;
}

/** One-time OAuth `state` values bound to an install start (CSRF protection of the callback). */
export interface OAuthStateStore {
  issue(state: string, ttlMs: number): Promise<void>;
  /** Atomically checks and burns the state: true exactly once for a state issued and not expired. */
  consume(state: string): Promise<boolean>;
}
