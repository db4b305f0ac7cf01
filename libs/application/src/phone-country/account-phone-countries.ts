/** Reads the stored Kommo country of an account (upper-case alpha-2), or null when unknown. */
export type StoredAccountCountry = (accountId: number) => Promise<string | null>;

interface CachedCountry {
  readonly country: Promise<string>;
  readonly until: number;
}

/**
 * The one answer to "in which country are numbers without a `+country` prefix read for account N": the country
 * Kommo reported for the account at install (kommo_account.country), else PHONE_DEFAULT_COUNTRY.
 * Used at every edge that parses numbers; the domain only ever sees normalised numbers.
 *
 * Cached per process for `ttlMs` (a re-installed account's new country is picked up within that time); concurrent
 * misses share one lookup; a failed lookup is not cached (the caller's retry asks again).
 */
export class AccountPhoneCountries {
  private readonly cache = new Map<number, CachedCountry>();

  constructor(
    private readonly stored: StoredAccountCountry,
    private readonly fallback: string,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  countryOf(accountId: number): Promise<string> {
    const at = this.now();
    const cached = this.cache.get(accountId);
    if (cached && cached.until > at) return cached.country;
    if (this.cache.size >= MAX_ENTRIES) this.evictExpired(at);
    const country = this.stored(accountId).then((found) => found ?? this.fallback);
    const entry: CachedCountry = { country, until: at + this.ttlMs };
    this.cache.set(accountId, entry);
    country.catch(() => {
      if (this.cache.get(accountId) === entry) this.cache.delete(accountId);
    });
    return country;
  }

  private evictExpired(at: number): void {
    for (const [accountId, entry] of this.cache) if (entry.until <= at) this.cache.delete(accountId);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
  }
}

/** Far above any real tenant count; only a guard against unbounded growth from garbage account ids. */
const MAX_ENTRIES = 10_000;
