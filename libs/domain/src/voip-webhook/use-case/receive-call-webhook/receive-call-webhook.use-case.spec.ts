import { aCallWebhookDelivery, FakeTaskQueue, FixedClock, InMemoryCallWebhookInbox, InMemoryCallWebhookSpool } from '../../../../test/fakes';
import { TaskName } from '../../../task/task';
import { CallWebhookDelivery } from '../../call-webhook-inbox.port';
import { RelayCallWebhookInboxUseCase } from '../relay-call-webhook-inbox/relay-call-webhook-inbox.use-case';
import { ReceiveCallWebhookUseCase } from './receive-call-webhook.use-case';

describe('ReceiveCallWebhook + RelayCallWebhookInbox', () => {
  let clock: FixedClock;
  let inbox: InMemoryCallWebhookInbox;
  let queue: FakeTaskQueue;
  let spool: InMemoryCallWebhookSpool;
  let sut: ReceiveCallWebhookUseCase;
  let relay: RelayCallWebhookInboxUseCase;

  const delivery = (dedupeKey: string, overrides: Partial<CallWebhookDelivery> = {}) => aCallWebhookDelivery(dedupeKey, clock.now(), overrides);

  beforeEach(() => {
    clock = new FixedClock();
    inbox = new InMemoryCallWebhookInbox();
    queue = new FakeTaskQueue();
    spool = new InMemoryCallWebhookSpool();
    sut = new ReceiveCallWebhookUseCase(inbox, queue, spool);
    relay = new RelayCallWebhookInboxUseCase(inbox, queue, clock, { graceMs: 5_000, batchSize: 2 });
  });

  it('records the delivery, enqueues one job keyed by the inbox row, and marks it enqueued', async () => {
    const result = await sut.execute(delivery('CA1:completed:3'));

    expect(result).toEqual({ stored: 'inbox', inboxId: '1', duplicate: false, enqueued: true });
    expect(queue.enqueued).toEqual([
      { name: TaskName.ProcessCallWebhook, payload: { inboxId: '1' }, dedupeKey: 'inbox-1', accountId: 31000001 },
    ]);
    expect(inbox.rows[0].enqueuedAt).toEqual(clock.now());
  });

  it('stops a duplicate delivery at the inbox: nothing enqueued twice', async () => {
    await sut.execute(delivery('CA1:completed:3'));
    const again = await sut.execute(delivery('CA1:completed:3', { payload: { CallSid: 'CA1', retried: 'yes' } }));

    expect(again).toEqual({ stored: 'inbox', inboxId: '1', duplicate: true, enqueued: false });
    expect(inbox.rows).toHaveLength(1);
    expect(queue.enqueued).toHaveLength(1);
  });

  it('keys duplicates per connection: the same key on another connection is new', async () => {
    await sut.execute(delivery('evt-1'));
    const other = await sut.execute(delivery('evt-1', { connectionId: 'conn-2' }));

    expect(other.duplicate).toBe(false);
    expect(queue.enqueued).toHaveLength(2);
  });

  it('keeps the delivery when the queue is down, and the relay enqueues it later (once)', async () => {
    queue.failWith(new Error('Redis connection lost'));
    const result = await sut.execute(delivery('CA1:completed:3'));
    expect(result).toEqual({ stored: 'inbox', inboxId: '1', duplicate: false, enqueued: false });
    expect(inbox.rows[0].enqueuedAt).toBeNull();

    queue.failWith(null);
    expect(await relay.execute()).toEqual({ relayed: 0 }); // still within the grace period
    clock.advance(5_001);
    expect(await relay.execute()).toEqual({ relayed: 1 });
    expect(await relay.execute()).toEqual({ relayed: 0 });
    expect(queue.enqueued.map((task) => task.dedupeKey)).toEqual(['inbox-1']);
  });

  it('relays every stranded row in batches', async () => {
    queue.failWith(new Error('down'));
    for (const key of ['a', 'b', 'c', 'd', 'e']) await sut.execute(delivery(key));
    queue.failWith(null);
    clock.advance(10_000);

    expect(await relay.execute()).toEqual({ relayed: 5 });
    expect(queue.enqueued.map((task) => task.dedupeKey)).toEqual(['inbox-1', 'inbox-2', 'inbox-3', 'inbox-4', 'inbox-5']);
  });

  it('still acknowledges when marking the row fails after enqueueing (the relay re-enqueues the same job id)', async () => {
    inbox.failMarkEnqueued = true;
    const result = await sut.execute(delivery('x'));
    expect(result.enqueued).toBe(true);
    inbox.failMarkEnqueued = false;
    clock.advance(10_000);

    await relay.execute();
    expect(new Set(queue.enqueued.map((task) => task.dedupeKey))).toEqual(new Set(['inbox-1']));
  });

  it('leaves rows in the inbox when the queue is still down during the relay (retried next run)', async () => {
    queue.failWith(new Error('down'));
    await sut.execute(delivery('x'));
    clock.advance(10_000);

    await expect(relay.execute()).rejects.toThrow('down');
    expect(inbox.rows[0].enqueuedAt).toBeNull();
  });
});
