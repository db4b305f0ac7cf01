import { randomBytes } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { CallWebhookDelivery, CallWebhookKind, VoipProvider } from '@app/domain';
import { Redis } from 'ioredis';
import { CallWebhookSpoolFullError, CallWebhookSpoolTimeoutError, RedisCallWebhookSpool } from './redis-call-webhook-spool';

/** Real Redis: store-once, the bound, the round trip of a delivery, and the put timeout on a Redis that never answers. */
describe('RedisCallWebhookSpool (real Redis)', () => {
  const prefix = `spool-int-${randomBytes(4).toString('hex')}`;
  const connections: Redis[] = [];
  const connect = (url = process.env.REDIS_URL!) => {
    const redis = new Redis(url, { maxRetriesPerRequest: 2 });
    redis.on('error', () => undefined);
    connections.push(redis);
    return redis;
  };
  const spool = (maxEntries = 100, putTimeoutMs = 250) => new RedisCallWebhookSpool(connect(), prefix, { maxEntries, putTimeoutMs });
  const delivery = (dedupeKey: string, overrides: Partial<CallWebhookDelivery> = {}): CallWebhookDelivery => ({
    accountId: 31000001,
    connectionId: '6f1c1d2e-0000-4000-8000-000000000001',
    provider: VoipProvider.Twilio,
    kind: CallWebhookKind.TwilioCallStatus,
    dedupeKey,
    payload: { CallSid: 'CA1', CallStatus: 'completed', nested: { a: [1, 2] } },
    receivedAt: new Date('2026-11-24T10:00:00.123Z'),
    ...overrides,
  });

  afterEach(async () => {
    await connections[0]?.del(`${prefix}:webhook-spool`);
  });
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit().catch(() => redis.disconnect())));
  });

  it('stores a delivery once per (connection, dedupe key) and gives it back whole', async () => {
    const sut = spool();
    expect(await sut.put(delivery('CA1:completed:2'))).toEqual({ duplicate: false });
    expect(await sut.put(delivery('CA1:completed:2', { payload: { retried: 'yes' } }))).toEqual({ duplicate: true });
    expect(await sut.put(delivery('CA1:completed:2', { connectionId: '6f1c1d2e-0000-4000-8000-000000000002' }))).toEqual({ duplicate: false });

    expect(await sut.size()).toBe(2);
    const sampled = await sut.sample(10);
    expect(sampled).toHaveLength(2);
    expect(sampled.find((entry) => entry.connectionId.endsWith('1'))).toEqual(delivery('CA1:completed:2'));
  });

  it('is shared by every process on the same Redis and forgets an entry only when told', async () => {
    const api = spool();
    const worker = spool();
    await api.put(delivery('a'));
    await api.put(delivery('b'));

    const [first] = await worker.sample(1);
    await worker.remove(first);
    await worker.remove(first); // a second drainer removing the same entry
    expect(await api.size()).toBe(1);
    expect((await api.sample(5)).map((entry) => entry.dedupeKey)).toEqual([first.dedupeKey === 'a' ? 'b' : 'a']);
  });

  it('refuses beyond its bound (the webhook gets a 503 rather than Redis running out of memory)', async () => {
    const sut = spool(3);
    for (const key of ['a', 'b', 'c']) await sut.put(delivery(key));
    await expect(sut.put(delivery('d'))).rejects.toBeInstanceOf(CallWebhookSpoolFullError);
    expect(await sut.put(delivery('a'))).toEqual({ duplicate: true }); // a retry of a spooled one is still fine
    expect(await sut.size()).toBe(3);
  });

  it('gives up a put after its timeout when Redis does not answer (frozen)', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const frozen = new Redis(`redis://127.0.0.1:${port}/0`, { maxRetriesPerRequest: 2, enableReadyCheck: false });
    frozen.on('error', () => undefined);
    const sut = new RedisCallWebhookSpool(frozen, prefix, { maxEntries: 10, putTimeoutMs: 200 });

    const started = Date.now();
    await expect(sut.put(delivery('a'))).rejects.toBeInstanceOf(CallWebhookSpoolTimeoutError);
    expect(Date.now() - started).toBeLessThan(600);
    const ended = new Promise((resolve) => frozen.once('end', resolve));
    frozen.disconnect(false);
    await ended;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });
});
