import { aCallWebhookDelivery, FakeTaskQueue, FixedClock, InMemoryCallWebhookInbox } from '../../../../test/fakes';
import { QueueDataMarker } from '../../../task/queue-data-marker.port';
import { RebuildLostQueueUseCase } from './rebuild-lost-queue.use-case';

/** The marker as Redis keeps it: absent after a data loss, claimed by one process, then intact. */
class MarkerStore implements QueueDataMarker {
  state: 'absent' | 'rebuilding' | 'intact' = 'absent';
  async claimRebuild(): Promise<boolean> {
    if (this.state !== 'absent') return false;
    this.state = 'rebuilding';
    return true;
  }
  async confirmRebuilt(): Promise<void> {
    this.state = 'intact';
  }
}

const HOUR = 3_600_000;

describe('RebuildLostQueueUseCase', () => {
  let clock: FixedClock;
  let inbox: InMemoryCallWebhookInbox;
  let queue: FakeTaskQueue;
  let marker: MarkerStore;
  let sut: RebuildLostQueueUseCase;

  const receive = async (dedupeKey: string, hoursAgo: number) =>
    (await inbox.add(aCallWebhookDelivery(dedupeKey, new Date(clock.now().getTime() - hoursAgo * HOUR), { payload: { CallSid: dedupeKey } }))).id;

  beforeEach(() => {
    clock = new FixedClock();
    inbox = new InMemoryCallWebhookInbox();
    queue = new FakeTaskQueue();
    marker = new MarkerStore();
    sut = new RebuildLostQueueUseCase(marker, inbox, queue, clock, { windowMs: 24 * HOUR, batchSize: 2 });
  });

  it('with the marker gone, replays every delivery of the window (paged), then marks the store intact', async () => {
    await receive('old', 30);
    const recent = [await receive('a', 20), await receive('b', 3), await receive('c', 1), await receive('d', 0)];
    const progress: number[] = [];

    await expect(sut.execute((replayed) => progress.push(replayed))).resolves.toEqual({ replayed: 4 });

    expect(queue.enqueued.map((task) => task.dedupeKey)).toEqual(recent.map((id) => `inbox-${id}`));
    expect(progress).toEqual([2, 4]);
    expect(marker.state).toBe('intact');
  });

  it('does nothing while the marker is there (data intact, or another process rebuilding)', async () => {
    await receive('a', 1);
    marker.state = 'intact';
    await expect(sut.execute()).resolves.toBeNull();
    marker.state = 'rebuilding';
    await expect(sut.execute()).resolves.toBeNull();
    expect(queue.enqueued).toEqual([]);
  });

  it('leaves the claim unconfirmed when enqueueing fails, so the rebuild runs again once the claim lapses', async () => {
    await receive('a', 1);
    queue.failWith(new Error('Redis went away again'));
    await expect(sut.execute()).rejects.toThrow('Redis went away again');
    expect(marker.state).toBe('rebuilding');
  });
});
