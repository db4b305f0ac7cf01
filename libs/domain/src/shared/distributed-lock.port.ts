/**
 * A lock shared by every process (api, worker replicas, cli). `run` waits up to `waitMs` to acquire,
 * holds the lock at most `ttlMs` (so a crashed holder cannot block forever) and always releases it.
 */
export interface DistributedLock {
  run<T>(key: string, options: { ttlMs: number; waitMs: number }, work: () => Promise<T>): Promise<T>;
}

export class LockNotAcquiredError extends Error {
  readonly retryable = true;
  constructor(readonly key: string) {
    super(`Lock ${key} not acquired in time`);
    this.name = 'LockNotAcquiredError';
  }
}
