import { randomUUID } from 'node:crypto';
import { DistributedLock, LockNotAcquiredError } from '@app/domain';
import type { Redis } from 'ioredis';

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** `SET key token NX PX ttl`, polled with backoff; released only by its owner (compare-and-delete). */
export class RedisDistributedLock implements DistributedLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async run<T>(key: string, options: { ttlMs: number; waitMs: number }, work: () => Promise<T>): Promise<T> {
    const lockKey = `${this.prefix}:lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + options.waitMs;
    let delay = 10;
    while ((await this.redis.set(lockKey, token, 'PX', options.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw new LockNotAcquiredError(key);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 200);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE_IF_OWNER, 1, lockKey, token);
    }
  }
}
