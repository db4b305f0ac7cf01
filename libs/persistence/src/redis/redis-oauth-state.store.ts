import { OAuthStateStore } from '@app/domain';
import type { Redis } from 'ioredis';

/** One-time OAuth `state` values in Redis: issued with a TTL, burnt atomically (GETDEL) on use. */
export class RedisOAuthStateStore implements OAuthStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async issue(state: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(state), '1', 'PX', ttlMs, 'NX');
  }

  async consume(state: string): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(state)) return false;
    return (await this.redis.getdel(this.key(state))) === '1';
  }

  private key(state: string): string {
    return `${this.prefix}:oauth-state:${state}`;
  }
}
