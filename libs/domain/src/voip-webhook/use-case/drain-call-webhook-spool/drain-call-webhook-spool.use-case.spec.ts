import { aCallWebhookDelivery, FakeTaskQueue, FixedClock, InMemoryCallWebhookInbox, InMemoryCallWebhookSpool } from '../../../../test/fakes';
import { TaskName } from '../../../task/task';
import { CallWebhookDelivery } from '../../call-webhook-inbox.port';
import { CallWebhookNotStoredError } from '../../voip-webhook.errors';
import { ReceiveCallWebhookUseCase } from '../receive-call-webhook/receive-call-webhook.use-case';
import { RelayCallWebhookInboxUseCase } from '../relay-call-webhook-inbox/relay-call-webhook-inbox.use-case';
import { DrainCallWebhookSpoolUseCase } from './drain-call-webhook-spool.use-case';

describe('ReceiveCallWebhook with the inbox down → spool → DrainCallWebhookSpool', () => {
  let clock: FixedClock;
  let inbox: InMemoryCallWebhookInbox;
  let queue: FakeTaskQueue;
  let spool: InMemoryCallWebhookSpool;
  let receive: ReceiveCallWebhookUseCase;
  let sut: DrainCallWebhookSpoolUseCase;

  const delivery = (dedupeKey: string, overrides: Partial<CallWebhookDelivery> = {}) => aCallWebhookDelivery(dedupeKey, clock.now(), overrides);
  const inboxDown = (afterCommit = false) => {
    inbox.addFailure = { error: new Error('connect ECONNREFUSED 127.0.0.1:5432'), afterCommit };
  };
  const inboxBack = () => {
    inbox.addFailure = null;
  };

  beforeEach(() => {
    clock = new FixedClock();
    inbox = new InMemoryCallWebhookInbox();
    queue = new FakeTaskQueue();
    spool = new InMemoryCallWebhookSpool();
    receive = new ReceiveCallWebhookUseCase(inbox, queue, spool);
    sut = new DrainCallWebhookSpoolUseCase(spool, inbox, queue, clock, { batchSize: 2 });
  });

  it('acknowledges through the spool when the inbox is unavailable: nothing enqueued, the full delivery kept', async () => {
    inboxDown();
    const result = await receive.execute(delivery('CA1:completed:3'));

    expect(result).toEqual({ stored: 'spool', inboxId: null, duplicate: false, enqueued: false, inboxFailure: 'Error: connect ECONNREFUSED 127.0.0.1:5432' });
    expect([...spool.entries.values()]).toEqual([delivery('CA1:completed:3')]);
    expect(queue.enqueued).toEqual([]);
    expect(inbox.rows).toEqual([]);
  });

  it('stores a provider retry of a spooled delivery once (same connection and dedupe key)', async () => {
    inboxDown();
    await receive.execute(delivery('CA1:completed:3'));
    const again = await receive.execute(delivery('CA1:completed:3'));
    const otherConnection = await receive.execute(delivery('CA1:completed:3', { connectionId: 'conn-2' }));

    expect(again).toMatchObject({ stored: 'spool', duplicate: true });
    expect(otherConnection).toMatchObject({ stored: 'spool', duplicate: false });
    expect(spool.entries.size).toBe(2);
  });

  it('refuses with CallWebhookNotStoredError (not acknowledged) when the spool fails too', async () => {
    inboxDown();
    spool.failWith(new Error('Redis connection lost'));

    const refused = receive.execute(delivery('x'));
    await expect(refused).rejects.toBeInstanceOf(CallWebhookNotStoredError);
    await expect(refused).rejects.toMatchObject({ code: 'VOIP.WEBHOOK_NOT_STORED', retryable: true, spoolFailure: 'Error: Redis connection lost' });
  });

  it('drains the spool into the inbox once it is back: one row and one job each, then an empty spool', async () => {
    inboxDown();
    for (const key of ['a', 'b', 'c', 'd', 'e']) await receive.execute(delivery(key));
    inboxBack();

    expect(await sut.execute()).toEqual({ drained: 5, duplicates: 0 });
    expect(inbox.rows.map((row) => row.dedupeKey)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(inbox.rows.every((row) => row.enqueuedAt !== null)).toBe(true);
    expect(queue.enqueued.map((task) => [task.name, task.dedupeKey])).toEqual(
      ['1', '2', '3', '4', '5'].map((id) => [TaskName.ProcessCallWebhook, `inbox-${id}`]),
    );
    expect(spool.entries.size).toBe(0);
    expect(await sut.execute()).toEqual({ drained: 0, duplicates: 0 });
  });

  it('keeps the received time and payload of the delivery (the row is the delivery, not the drain)', async () => {
    inboxDown();
    await receive.execute(delivery('a', { payload: { CallSid: 'CA9', CallStatus: 'busy' } }));
    clock.advance(60_000);
    inboxBack();
    await sut.execute();

    expect(inbox.rows[0]).toMatchObject({ dedupeKey: 'a', payload: { CallSid: 'CA9', CallStatus: 'busy' }, receivedAt: new Date(clock.now().getTime() - 60_000) });
  });

  it('collapses a delivery whose first insert committed although the inbox answered an error: one row, one job', async () => {
    inboxDown(true); // committed, then the connection dropped before the answer
    const result = await receive.execute(delivery('a'));
    expect(result.stored).toBe('spool');
    expect(inbox.rows).toHaveLength(1);
    inboxBack();

    expect(await sut.execute()).toEqual({ drained: 0, duplicates: 1 });
    expect(spool.entries.size).toBe(0);
    expect(inbox.rows).toHaveLength(1);
    expect(queue.enqueued).toEqual([]); // the row is the relay's, below
    const relay = new RelayCallWebhookInboxUseCase(inbox, queue, clock, { graceMs: 5_000, batchSize: 10 });
    clock.advance(5_001);
    expect(await relay.execute()).toEqual({ relayed: 1 });
    expect(queue.enqueued.map((task) => task.dedupeKey)).toEqual(['inbox-1']);
  });

  it('leaves everything in the spool while the inbox is still down, and throws so the caller retries', async () => {
    inboxDown();
    await receive.execute(delivery('a'));

    await expect(sut.execute()).rejects.toThrow('ECONNREFUSED');
    expect(spool.entries.size).toBe(1);
  });

  it('removes a delivery from the spool only after the inbox holds it (a crash before the removal re-adds it as a duplicate)', async () => {
    inboxDown();
    await receive.execute(delivery('a'));
    inboxBack();
    spool.remove = async () => {
      throw new Error('crash before the removal');
    };
    await expect(sut.execute()).rejects.toThrow('crash before the removal');
    expect(spool.entries.size).toBe(1);
    expect(inbox.rows).toHaveLength(1);

    const restarted = new DrainCallWebhookSpoolUseCase(new RestoredSpool(spool), inbox, queue, clock, { batchSize: 2 });
    expect(await restarted.execute()).toEqual({ drained: 0, duplicates: 1 });
    expect(inbox.rows).toHaveLength(1);
    expect(queue.enqueued).toHaveLength(1);
  });

  it('two drainers on the same spool: every delivery one row and one job', async () => {
    inboxDown();
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await receive.execute(delivery(key));
    inboxBack();
    const other = new DrainCallWebhookSpoolUseCase(spool, inbox, queue, clock, { batchSize: 3 });

    const [first, second] = await Promise.all([sut.execute(), other.execute()]);

    expect(first.drained + second.drained).toBe(7);
    expect(inbox.rows).toHaveLength(7);
    expect(new Set(queue.enqueued.map((task) => task.dedupeKey)).size).toBe(7);
    expect(queue.enqueued).toHaveLength(7);
    expect(spool.entries.size).toBe(0);
  });

  it('moves a delivery into the inbox even when the queue is down (the relay enqueues it later)', async () => {
    inboxDown();
    await receive.execute(delivery('a'));
    inboxBack();
    queue.failWith(new Error('Redis down'));

    expect(await sut.execute()).toEqual({ drained: 1, duplicates: 0 });
    expect(inbox.rows[0].enqueuedAt).toBeNull();
    expect(spool.entries.size).toBe(0);
  });
});

/** The same entries behind a fresh object: a drainer process that started after the crash. */
class RestoredSpool extends InMemoryCallWebhookSpool {
  constructor(from: InMemoryCallWebhookSpool) {
    super();
    for (const [key, value] of from.entries) this.entries.set(key, value);
  }
}
