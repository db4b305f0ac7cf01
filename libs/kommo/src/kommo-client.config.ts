export interface KommoClientConfig {
  /** Integration id (Kommo calls it client_id / client_uuid). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Must equal the redirect URI registered for the integration in Kommo. */
  readonly redirectUri: string;
  /** Second-level domains Kommo accounts live on, e.g. `kommo.com`, `amocrm.ru`, `amocrm.com`. */
  readonly accountDomains: readonly string[];
  /**
   * When set, ALL Kommo traffic goes to this Kommo-compatible server (our sandbox) instead of
   * `https://{account host}`; the account host then travels in `X-Forwarded-Host`.
   */
  readonly apiBaseUrlOverride: string | null;
  /** Kommo's authorization page (`https://www.kommo.com/oauth`); derived from the override when set. */
  readonly authorizationUrl: string;
  readonly requestTimeoutMs: number;
}
