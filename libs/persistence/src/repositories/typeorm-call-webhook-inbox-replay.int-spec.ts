import { CallWebhookKind, VoipProvider } from '@app/domain';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../data-source.options';
import { RedisQueueDataMarker } from '../redis/redis-queue-data-marker';
import { TypeOrmCallWebhookInbox } from './typeorm-call-webhook-inbox.repository';

/** What a rebuild after a lost Redis dataset reads and writes: the inbox's recent rows (PostgreSQL) and the marker (Redis). */
describe('Lost queue rebuild: inbox listing (PostgreSQL) and the queue data marker (Redis)', () => {
  let dataSource: DataSource;
  let redis: Redis;
  const prefix = `marker-int-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!)).initialize();
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2 });
  });
  afterAll(async () => {
    await redis.del(`${prefix}:queue-data-marker`);
    await redis.quit();
    await dataSource.destroy();
  });

  it('lists the deliveries received since a time in id order, page after page', async () => {
    await dataSource.query('TRUNCATE call_webhook_inbox');
    const sut = new TypeOrmCallWebhookInbox(dataSource);
    const at = (minutesAgo: number) => new Date(Date.UTC(2026, 10, 24, 12, 0) - minutesAgo * 60_000);
    const ids: string[] = [];
    for (const [index, minutesAgo] of [90, 50, 40, 30, 20].entries()) {
      const { id } = await sut.add({
        accountId: 31000001,
        connectionId: 'conn-1',
        provider: VoipProvider.Twilio,
        kind: CallWebhookKind.TwilioCallStatus,
        dedupeKey: `CA${index}:completed:2`,
        payload: { CallSid: `CA${index}` },
        receivedAt: at(minutesAgo),
      });
      ids.push(id);
    }
    const since = at(60);

    const first = await sut.listReceivedSince(since, null, 3);
    const second = await sut.listReceivedSince(since, first[first.length - 1].id, 3);

    expect(first.map((row) => row.id)).toEqual(ids.slice(1, 4));
    expect(second.map((row) => row.id)).toEqual(ids.slice(4));
    expect(second[0]).toMatchObject({ dedupeKey: 'CA4:completed:2', payload: { CallSid: 'CA4' }, receivedAt: at(20) });
    expect(await sut.listReceivedSince(at(0), null, 3)).toEqual([]);
  });

  it('the marker: missing → one claimant rebuilds; confirmed → intact; gone with the data → rebuild again', async () => {
    const a = new RedisQueueDataMarker(redis, prefix);
    const b = new RedisQueueDataMarker(redis, prefix);

    const claims = await Promise.all([a.claimRebuild(), b.claimRebuild(), a.claimRebuild()]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await redis.pttl(`${prefix}:queue-data-marker`)).toBeGreaterThan(0); // an unconfirmed claim lapses

    await a.confirmRebuilt();
    expect(await redis.pttl(`${prefix}:queue-data-marker`)).toBe(-1);
    expect(await b.claimRebuild()).toBe(false);

    await redis.del(`${prefix}:queue-data-marker`); // what a lost dataset looks like
    expect(await b.claimRebuild()).toBe(true);
  });
});
