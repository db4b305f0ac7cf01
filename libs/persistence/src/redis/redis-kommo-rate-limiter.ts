import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Sliding-window log in a sorted set, evaluated atomically in Redis with Redis's own clock, so
 * every process (api, workers, cli) on every machine shares one window per account host.
 * Returns 0 when a permit was taken, otherwise the ms until the oldest request leaves the window.
 */
const SLIDING_WINDOW = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

export interface RedisKommoRateLimiterOptions {
  /** Requests allowed per window per account host. */
  readonly limit: number;
  /**
   * The window in ms. Kommo's window is 1 s; ours is a little longer so that network jitter (our
   * timestamps are taken before the request travels) can never squeeze 8 requests into Kommo's second.
   */
  readonly windowMs: number;
}

export class RedisKommoRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: RedisKommoRateLimiterOptions,
  ) {}

  async tryAcquire(host: string): Promise<number> {
    const waitMs = await this.redis.eval(
      SLIDING_WINDOW,
      1,
      `${this.prefix}:kommo-rate:${host.toLowerCase()}`,
      this.options.limit,
      this.options.windowMs,
      randomUUID(),
    );
    return Number(waitMs);
  }
}
