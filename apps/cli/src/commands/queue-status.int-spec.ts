import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { queueStatus } from './queue-status';

/** Real Redis, real Bull: what `queues:status` reports. */
describe('queueStatus (real Bull on Redis)', () => {
  let queue: Bull.Queue;

  beforeEach(() => {
    queue = new Bull('call-logging', process.env.REDIS_URL!, { prefix: `test-status-${randomBytes(4).toString('hex')}` });
  });
  afterEach(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('counts jobs per state and per account, and the age of the oldest waiting job', async () => {
    await queue.add('voip.add-call', { accountId: 1 }, { jobId: 'w1' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await queue.add('voip.add-call', { accountId: 1 }, { jobId: 'w2' });
    await queue.add('voip.add-call', { accountId: 2 }, { jobId: 'w3' });
    await queue.add('voip.add-call', { accountId: 2 }, { jobId: 'd1', delay: 60_000 });
    await queue.add('kommo.sync-users', { nothing: true }, { jobId: 'x1' });

    const status = await queueStatus(queue, Date.now());

    expect(status).toMatchObject({ queue: 'call-logging', paused: false, waiting: 4, delayed: 1, active: 0, failed: 0 });
    expect(status.oldestWaitingMs).toBeGreaterThanOrEqual(30);
    expect(status.perAccount).toEqual({
      '1': { waiting: 2, active: 0, delayed: 0, failed: 0 },
      '2': { waiting: 1, active: 0, delayed: 1, failed: 0 },
      '-': { waiting: 1, active: 0, delayed: 0, failed: 0 },
    });
  });

  it('reports a paused queue and no waiting age when empty', async () => {
    await queue.pause(false);
    const status = await queueStatus(queue, Date.now());
    expect(status).toMatchObject({ paused: true, waiting: 0, oldestWaitingMs: null, perAccount: {} });
  });

  it('still counts the jobs waiting in a paused queue', async () => {
    await queue.pause(false);
    await queue.add('voip.add-call', { accountId: 7 }, { jobId: 'p1' });
    const status = await queueStatus(queue, Date.now());
    expect(status).toMatchObject({ paused: true, waiting: 1, perAccount: { '7': { waiting: 1, active: 0, delayed: 0, failed: 0 } } });
    expect(status.oldestWaitingMs).not.toBeNull();
  });
});
