import { QueueName } from '@app/application';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { freePort, eventually } from '../utils/free-port';
import { installAccount } from '../utils/kommo-install';
import { TcpFaultProxy } from '../utils/tcp-fault-proxy';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const TWILIO = { accountSid: `AC${'a7'.repeat(16)}`, authToken: '77112233445566778899aabbccddeeff' };

/**
 * quality.md §6.5 F4 in-process: the api and the worker reach PostgreSQL (and Redis) through TCP proxies this
 * test breaks. PostgreSQL down or hung → the webhook is acked through the Redis spool; back → the worker's
 * drain moves it into the inbox (once) and enqueues it. PostgreSQL and Redis down → 503.
 */
describe('Webhook spool: PostgreSQL unavailable during ingest (real PostgreSQL and Redis behind proxies)', () => {
  let stack: TestStack;
  let pg: TcpFaultProxy;
  let redisProxy: TcpFaultProxy;
  let redis: Redis;
  let queue: Queue;
  let spoolKey: string;
  let statusUrl: string;
  const realDb = new URL(process.env.DATABASE_URL!);
  const realRedis = new URL(process.env.REDIS_URL!);

  beforeAll(async () => {
    pg = new TcpFaultProxy({ host: realDb.hostname, port: Number(realDb.port || 5432) }, await freePort());
    redisProxy = new TcpFaultProxy({ host: realRedis.hostname, port: Number(realRedis.port || 6379) }, await freePort());
    await Promise.all([pg.start(), redisProxy.start()]);
    const proxiedDb = new URL(realDb);
    proxiedDb.hostname = '127.0.0.1';
    proxiedDb.port = String(pg.port);
    stack = await startTestStack({
      env: {
        DATABASE_URL: proxiedDb.toString(),
        REDIS_URL: `redis://127.0.0.1:${redisProxy.port}${realRedis.pathname}`,
        QUEUE_PREFIX: `spool-e2e-${randomBytes(3).toString('hex')}`,
      },
    });
    redis = new Redis(process.env.REDIS_URL!);
    spoolKey = `${stack.config.queuePrefix}:webhook-spool`;
    queue = stack.api.get<Queue>(getQueueToken(QueueName.CallWebhooks));
  }, 60_000);

  afterAll(async () => {
    pg?.set('up');
    redisProxy?.set('up');
    await redis?.del(spoolKey).catch(() => undefined);
    await stack?.close();
    await redis?.quit();
    await Promise.all([pg?.stop(), redisProxy?.stop()]);
  });

  beforeEach(async () => {
    pg.set('up');
    redisProxy.set('up');
    await stack.resetState();
    await redis.del(spoolKey);
    await stack.sandbox.reset('demo');
    await installAccount(stack, DEMO.accountId);
    const { connection } = await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO });
    statusUrl = connection.webhookUrls.statusCallbackUrl;
    // The jobs stay countable: nothing consumes the call queue in these tests.
    await queue.pause(false);
  }, 30_000);

  /** PostgreSQL directly (not through the proxy). */
  const inboxRows = async () => {
    const client = new Client({ connectionString: realDb.toString() });
    await client.connect();
    try {
      return (await client.query<{ id: string; dedupe_key: string; payload: Record<string, string> }>('SELECT id, dedupe_key, payload FROM call_webhook_inbox ORDER BY id')).rows;
    } finally {
      await client.end();
    }
  };
  const jobIds = async () => (await queue.getJobs(['waiting', 'paused', 'active', 'delayed', 'completed'])).map((job) => String(job.id)).sort();
  const params = (callSid: string, status = 'completed', sequence = '2') => ({
    AccountSid: TWILIO.accountSid,
    CallSid: callSid,
    CallStatus: status,
    CallDuration: '30',
    Direction: 'inbound',
    From: '+14155550100',
    To: '+14155550199',
    SequenceNumber: sequence,
  });
  const callSid = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
  const post = async (p: Record<string, string>, url = statusUrl) => {
    const started = performance.now();
    const response = await postTwilioWebhook(url, TWILIO.authToken, p);
    return { status: response.status, ms: performance.now() - started, response };
  };

  it('acks through the spool while PostgreSQL is down (a retry stored once), then drains each into the inbox once, within ~2 s of its return', async () => {
    expect((await post(params(callSid(1)))).status).toBe(204); // the connection is known to this process
    pg.set('refuse');

    const acks = [];
    for (const n of [2, 3, 4]) acks.push(await post(params(callSid(n))));
    acks.push(await post(params(callSid(3)))); // Twilio retries one
    expect(acks.map((ack) => ack.status)).toEqual([204, 204, 204, 204]);
    expect(Math.max(...acks.map((ack) => ack.ms))).toBeLessThan(1000);
    expect(await redis.hlen(spoolKey)).toBe(3);
    expect((await inboxRows()).map((row) => row.dedupe_key)).toEqual([`${callSid(1)}:completed:2`]);

    pg.set('up');
    const back = Date.now();
    await eventually(async () => (await redis.hlen(spoolKey)) === 0 && (await inboxRows()).length === 4, 10_000, 50);
    const drainedInMs = Date.now() - back;

    const rows = await inboxRows();
    expect(rows.map((row) => row.dedupe_key).sort()).toEqual([1, 2, 3, 4].map((n) => `${callSid(n)}:completed:2`).sort());
    expect(rows.find((row) => row.payload.CallSid === callSid(4))?.payload).toMatchObject({ CallStatus: 'completed', CallDuration: '30' });
    await eventually(async () => (await jobIds()).length === 4, 5_000, 50);
    expect(await jobIds()).toEqual(rows.map((row) => `voip.process-call-webhook-inbox-${row.id}`).sort());
    expect(drainedInMs).toBeLessThan(3_000);
    process.stdout.write(`[spool e2e] 3 spooled deliveries drained ${drainedInMs} ms after PostgreSQL answered again\n`);
  }, 60_000);

  it('acks within 1 s while PostgreSQL hangs; an insert that commits late collapses with its spooled copy', async () => {
    expect((await post(params(callSid(10)))).status).toBe(204);
    pg.set('freeze');

    const acks = [];
    for (const n of [11, 12]) acks.push(await post(params(callSid(n))));
    expect(acks.map((ack) => ack.status)).toEqual([204, 204]);
    expect(Math.max(...acks.map((ack) => ack.ms))).toBeLessThan(1000);
    expect(await redis.hlen(spoolKey)).toBe(2);

    pg.set('up'); // the held inserts commit now, and the drain adds the spooled copies
    await eventually(async () => (await redis.hlen(spoolKey)) === 0, 10_000, 50);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const rows = await inboxRows();
    expect(rows.map((row) => row.dedupe_key).sort()).toEqual([10, 11, 12].map((n) => `${callSid(n)}:completed:2`).sort());
    // Rows whose late insert won are the relay's to enqueue (grace 5 s); either way one job per row.
    await eventually(async () => (await jobIds()).length === 3, 15_000, 100);
    expect(await jobIds()).toEqual(rows.map((row) => `voip.process-call-webhook-inbox-${row.id}`).sort());
  }, 60_000);

  it('answers 503 (Retry-After) when PostgreSQL and Redis are both down, and stores nothing it did not ack', async () => {
    expect((await post(params(callSid(20)))).status).toBe(204);
    pg.set('refuse');
    redisProxy.set('refuse');

    const refused = await post(params(callSid(21)));
    expect(refused.status).toBe(503);
    expect(refused.response.headers.get('retry-after')).toBe('5');
    expect(await refused.response.json()).toMatchObject({ statusCode: 503, error: 'VOIP.WEBHOOK_NOT_STORED' });
    expect(refused.ms).toBeLessThan(1000);

    redisProxy.set('up');
    pg.set('up');
    await new Promise((resolve) => setTimeout(resolve, 2000)); // a drain pass or two
    expect(await redis.hlen(spoolKey)).toBe(0);
    expect((await inboxRows()).map((row) => row.payload.CallSid)).toEqual([callSid(20)]);
  }, 60_000);

  it('answers 503 for a webhook URL this process has not verified yet while PostgreSQL is down (not 500, not 404)', async () => {
    pg.set('refuse');
    const refused = await post(params(callSid(30)));
    expect(refused.status).toBe(503);
    expect(await refused.response.json()).toMatchObject({ statusCode: 503, message: 'Webhook URL not verifiable now (database unavailable); send it again later' });
  }, 60_000);
});
