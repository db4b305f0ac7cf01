import { CallerDirectory, CallerMatch, E164 } from '@app/domain';

interface Entry {
  readonly expiresAt: number;
  readonly value: Promise<CallerMatch | null>;
}

/**
 * A short-lived per-account cache in front of a caller directory (Kommo's limit is 7 requests/s per account and a
 * ringing call is looked up by the Voice URL and the popup alike). Lookups in flight are shared, failures are not
 * cached, and a lookup that outlives its caller's budget still fills the cache for the next ring.
 */
export class CachedCallerDirectory implements CallerDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: CallerDirectory,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  findByPhone(accountId: number, phone: E164): Promise<CallerMatch | null> {
    const key = `${accountId}:${phone}`;
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const value = this.inner.findByPhone(accountId, phone);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { expiresAt: this.now() + this.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
