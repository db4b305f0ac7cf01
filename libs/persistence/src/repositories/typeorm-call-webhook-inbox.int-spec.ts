import { CallWebhookDelivery, CallWebhookKind, VoipProvider } from '@app/domain';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../data-source.options';
import { TypeOrmCallWebhookInbox } from './typeorm-call-webhook-inbox.repository';

const RECEIVED_AT = new Date('2026-03-02T13:00:30.123Z');

function delivery(dedupeKey: string, connectionId = 'conn-1'): CallWebhookDelivery {
  return {
    accountId: 31_000_001,
    connectionId,
    provider: VoipProvider.Twilio,
    kind: CallWebhookKind.TwilioCallStatus,
    dedupeKey,
    payload: { CallSid: `CA${dedupeKey}`, CallStatus: 'completed', Nested: { list: [1, 'two'] } },
    receivedAt: RECEIVED_AT,
  };
}

describe('TypeOrmCallWebhookInbox (PostgreSQL)', () => {
  let dataSource: DataSource;
  let sut: TypeOrmCallWebhookInbox;

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!)).initialize();
    sut = new TypeOrmCallWebhookInbox(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE call_webhook_inbox');
  });

  const enqueuedAt = async (id: string) =>
    (await dataSource.query<{ enqueued_at: Date | null }[]>('SELECT enqueued_at FROM call_webhook_inbox WHERE id = $1', [id]))[0].enqueued_at;

  it('stores a delivery once; a duplicate (same connection and key) answers the first row, another connection is new', async () => {
    const first = await sut.add(delivery('k1'));
    const again = await sut.add(delivery('k1'));
    const elsewhere = await sut.add(delivery('k1', 'conn-2'));

    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: first.id, duplicate: true });
    expect(elsewhere.duplicate).toBe(false);
    expect(elsewhere.id).not.toBe(first.id);
    expect(await sut.findById(first.id)).toEqual({ ...delivery('k1'), id: first.id, enqueuedAt: null });
  });

  it('under concurrent deliveries of one key exactly one row is written and every caller gets its id', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => sut.add(delivery('race'))));

    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    expect(Number((await dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM call_webhook_inbox'))[0].n)).toBe(1);
  });

  it('deliveries arriving together share one INSERT: each gets its own row, duplicates in and across batches the first row', async () => {
    const before = await sut.add(delivery('seen'));
    const results = await Promise.all([
      ...Array.from({ length: 30 }, (_, index) => sut.add(delivery(`b${index}`))),
      sut.add(delivery('b0')),
      sut.add(delivery('seen')),
    ]);

    expect(results.slice(0, 30).every((result) => !result.duplicate)).toBe(true);
    expect(new Set(results.slice(0, 30).map((result) => result.id)).size).toBe(30);
    expect(results[30]).toEqual({ id: results[0].id, duplicate: true });
    expect(results[31]).toEqual({ id: before.id, duplicate: true });
    for (const [index, result] of results.slice(0, 30).entries()) expect((await sut.findById(result.id))?.dedupeKey).toBe(`b${index}`);
  });

  it('a delivery PostgreSQL refuses fails alone; the ones that arrived with it are stored', async () => {
    const results = await Promise.allSettled([sut.add(delivery('ok-1')), sut.add(delivery('x'.repeat(300))), sut.add(delivery('ok-2'))]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await dataSource.query<{ dedupe_key: string }[]>('SELECT dedupe_key FROM call_webhook_inbox ORDER BY dedupe_key')).map((row) => row.dedupe_key)).toEqual(['ok-1', 'ok-2']);
  });

  it('marks made concurrently are written (coalesced) with each row its own time, and a marked row keeps its first time', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, (_, index) => sut.add(delivery(`m${index}`)).then((result) => result.id)));
    const at = (index: number) => new Date(RECEIVED_AT.getTime() + index * 1000);

    await Promise.all([...ids.map((id, index) => sut.markEnqueued([id], at(index))), sut.markEnqueued(['not-a-row-id'], at(99))]);

    for (const [index, id] of ids.entries()) expect((await enqueuedAt(id))?.toISOString()).toBe(at(index).toISOString());
    await sut.markEnqueued(ids.slice(0, 10), at(500)); // the relay marking rows a request already marked
    expect((await enqueuedAt(ids[0]))?.toISOString()).toBe(at(0).toISOString());
    expect(await sut.findNotEnqueued(new Date('2100-01-01T00:00:00Z'), 100)).toEqual([]);
  });

  it('rows never marked are what the relay finds, oldest first; marking several ids at once clears them', async () => {
    const older = await sut.add({ ...delivery('old'), receivedAt: new Date(RECEIVED_AT.getTime() - 60_000) });
    const newer = await sut.add(delivery('new'));

    const pending = await sut.findNotEnqueued(new Date(RECEIVED_AT.getTime() + 1), 10);
    expect(pending.map((row) => row.id)).toEqual([older.id, newer.id]);

    await sut.markEnqueued([older.id, newer.id], RECEIVED_AT);
    expect(await sut.findNotEnqueued(new Date(RECEIVED_AT.getTime() + 1), 10)).toEqual([]);
  });
});
