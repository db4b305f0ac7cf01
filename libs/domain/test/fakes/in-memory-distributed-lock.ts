import { DistributedLock, LockNotAcquiredError } from '../../src';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A real mutex per key (FIFO hand-over), shared by every component given the same instance, so two
 * services sharing it behave like two processes sharing Redis. `waitMs` is honoured with real timers;
 * `ttlMs` is not simulated (holders always release).
 */
export class InMemoryDistributedLock implements DistributedLock {
  private readonly held = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();
  /** Keys in the order the lock was granted. */
  readonly acquisitions: string[] = [];
  private holders = 0;
  maxConcurrentHolders = 0;

  async run<T>(key: string, options: { ttlMs: number; waitMs: number }, work: () => Promise<T>): Promise<T> {
    await this.acquire(key, options.waitMs);
    this.acquisitions.push(key);
    this.holders += 1;
    this.maxConcurrentHolders = Math.max(this.maxConcurrentHolders, this.holders);
    try {
      return await work();
    } finally {
      this.holders -= 1;
      this.release(key);
    }
  }

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  waiting(key: string): number {
    return this.waiters.get(key)?.length ?? 0;
  }

  private acquire(key: string, waitMs: number): Promise<void> {
    if (!this.held.has(key)) {
      this.held.add(key);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.waiters.get(key) ?? [];
      this.waiters.set(key, queue);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grant = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      if (Number.isFinite(waitMs) && waitMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          const index = queue.indexOf(grant);
          if (index >= 0) queue.splice(index, 1);
          reject(new LockNotAcquiredError(key));
        }, waitMs);
      }
      queue.push(grant);
    });
  }

  private release(key: string): void {
    const next = this.waiters.get(key)?.shift();
    if (next) next(); // handed over: the key stays held
    else this.held.delete(key);
  }
}
