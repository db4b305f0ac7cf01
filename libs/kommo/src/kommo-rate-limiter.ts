/**
 * Kommo allows 7 requests per second per integration per account (kommo-api.md §10) and answers 429,
 * then 403 for everything, when that is exceeded. Every process of ours shares one limiter per
 * account host, so the limit holds across api, workers and cli together.
 */
export interface KommoRateLimiter {
  /** Takes a permit for `host` now and returns 0, or returns how many ms to wait before asking again. */
  tryAcquire(host: string): Promise<number>;
}

export class KommoRateLimitWaitExceededError extends Error {
  constructor(host: string, waitedMs: number) {
    super(`No Kommo request permit for ${host} after ${waitedMs} ms`);
    this.name = 'KommoRateLimitWaitExceededError';
  }
}

/** Waits (without holding anything) until the limiter grants a permit, or gives up after `maxWaitMs`. */
export async function acquireKommoPermit(limiter: KommoRateLimiter, host: string, maxWaitMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const waitMs = await limiter.tryAcquire(host);
    if (waitMs <= 0) return;
    const waited = Date.now() - started;
    if (waited + waitMs > maxWaitMs) throw new KommoRateLimitWaitExceededError(host, waited);
    // A little jitter so waiting processes do not all ask again in the same millisecond.
    await sleep(waitMs + Math.floor(Math.random() * 15));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
