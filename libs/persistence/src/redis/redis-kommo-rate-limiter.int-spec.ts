import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { acquireKommoPermit } from '@app/kommo';
import { RedisKommoRateLimiter } from './redis-kommo-rate-limiter';

/** Real Redis: several "processes" (limiter instances with their own connections) share one window. */
describe('RedisKommoRateLimiter (real Redis)', () => {
  const connections: Redis[] = [];
  const prefix = `test-rate-${randomBytes(4).toString('hex')}`;
  const limiter = (limit = 7, windowMs = 1000) => {
    const redis = new Redis(process.env.REDIS_URL!);
    connections.push(redis);
    return new RedisKommoRateLimiter(redis, prefix, { limit, windowMs });
  };

  afterAll(async () => {
    const cleanup = connections[0] ?? new Redis(process.env.REDIS_URL!);
    const keys = await cleanup.keys(`${prefix}:*`);
    if (keys.length > 0) await cleanup.del(...keys);
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  it('grants `limit` permits in a window, then says how long to wait', async () => {
    const sut = limiter(7, 1000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => sut.tryAcquire('a.kommo.com')));

    expect(answers.filter((wait) => wait === 0)).toHaveLength(7);
    for (const wait of answers.filter((value) => value > 0)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1001);
    }
  });

  it('keeps one window per account host', async () => {
    const sut = limiter(2, 1000);
    expect(await sut.tryAcquire('b.kommo.com')).toBe(0);
    expect(await sut.tryAcquire('b.kommo.com')).toBe(0);
    expect(await sut.tryAcquire('b.kommo.com')).toBeGreaterThan(0);
    expect(await sut.tryAcquire('c.kommo.com')).toBe(0);
  });

  it('never lets 20 concurrent callers from 3 processes exceed the limit in any window', async () => {
    const processes = [limiter(7, 1000), limiter(7, 1000), limiter(7, 1000)];
    const grantedAt: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        await acquireKommoPermit(processes[index % 3], 'd.kommo.com', 10_000);
        grantedAt.push(Date.now());
      }),
    );

    grantedAt.sort((a, b) => a - b);
    let busiest = 0;
    for (let start = 0; start < grantedAt.length; start += 1) {
      let end = start;
      while (end + 1 < grantedAt.length && grantedAt[end + 1] - grantedAt[start] < 1000) end += 1;
      busiest = Math.max(busiest, end - start + 1);
    }
    expect(grantedAt).toHaveLength(20);
    expect(busiest).toBeLessThanOrEqual(7);
    // 20 permits at 7/s need at least two full windows.
    expect(grantedAt[19] - grantedAt[0]).toBeGreaterThanOrEqual(2000 - 50);
  });

  it('gives up after the longest allowed wait', async () => {
    const sut = limiter(1, 5000);
    await sut.tryAcquire('e.kommo.com');
    await expect(acquireKommoPermit(sut, 'e.kommo.com', 200)).rejects.toThrow('No Kommo request permit for e.kommo.com');
  });

  it('leaves headroom: background work stops at its lower limit while interactive requests still get permits', async () => {
    const background = limiter(5, 1000); // worker: 7 - 2 headroom
    const interactive = limiter(7, 1000); // api
    const burst = await Promise.all(Array.from({ length: 10 }, () => background.tryAcquire('f.kommo.com')));
    expect(burst.filter((wait) => wait === 0)).toHaveLength(5);

    expect(await interactive.tryAcquire('f.kommo.com')).toBe(0);
    expect(await interactive.tryAcquire('f.kommo.com')).toBe(0);
    expect(await interactive.tryAcquire('f.kommo.com')).toBeGreaterThan(0); // the account's 7 are used
    expect(await background.tryAcquire('f.kommo.com')).toBeGreaterThan(0);
  });
});
