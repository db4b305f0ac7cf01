import { processCallWebhookTask, syncKommoUsersTask } from '@app/domain';
import Bull, { Queue } from 'bull';
import { BullTaskQueue } from './bull-task-queue';
import { DEFAULT_TASK_OPTIONS } from './default-task-options';
import { ALL_QUEUES, QueueName } from './queue-name';

describe('BullTaskQueue (Redis)', () => {
  const prefix = `${process.env.QUEUE_PREFIX}-btq`;
  let queues: Map<QueueName, Queue>;
  let sut: BullTaskQueue;

  beforeAll(() => {
    queues = new Map(ALL_QUEUES.map((name) => [name, new Bull(name, process.env.REDIS_URL!, { prefix })] as [QueueName, Queue]));
    sut = new BullTaskQueue(queues);
  });
  afterAll(async () => {
    for (const queue of queues.values()) await queue.obliterate({ force: true });
    await Promise.all([...queues.values()].map((queue) => queue.close()));
  });

  it('tasks enqueued together (one addBulk) each become their job, with their id, data and the default options', async () => {
    const webhooks = queues.get(QueueName.CallWebhooks)!;
    await Promise.all([
      ...Array.from({ length: 40 }, (_, index) => sut.enqueue(processCallWebhookTask(31_000_001, String(1000 + index)))),
      sut.enqueue(syncKommoUsersTask(31_000_001, 'test')),
    ]);

    const jobs = await webhooks.getJobs(['waiting']);
    expect(jobs).toHaveLength(40);
    const job = await webhooks.getJob(jobs.map((candidate) => String(candidate.id)).find((id) => id.endsWith('-1007'))!);
    expect(job?.data).toEqual({ payload: processCallWebhookTask(31_000_001, '1007').payload, accountId: 31_000_001, dedupeKey: processCallWebhookTask(31_000_001, '1007').dedupeKey });
    expect(job?.opts).toMatchObject({ attempts: DEFAULT_TASK_OPTIONS.attempts, backoff: DEFAULT_TASK_OPTIONS.backoff, removeOnComplete: DEFAULT_TASK_OPTIONS.removeOnComplete });
    expect(await queues.get(QueueName.KommoSync)!.getWaitingCount()).toBe(1);
  });

  it('a job hash without data (left by a worker when Redis lost its dataset) is replaced by the real job, a real job is kept', async () => {
    const webhooks = queues.get(QueueName.CallWebhooks)!;
    const orphan = processCallWebhookTask(31_000_001, '7001');
    const orphanKey = webhooks.toKey(`${orphan.name}-${orphan.dedupeKey}`);
    await webhooks.client.hset(orphanKey, 'attemptsMade', '1', 'failedReason', 'Connection is closed.');
    const real = processCallWebhookTask(31_000_001, '7002');
    await sut.enqueue(real);
    const realJob = await webhooks.getJob(`${real.name}-${real.dedupeKey}`);
    await realJob!.update({ ...realJob!.data, marker: 'first' });

    await Promise.all([sut.enqueue(orphan), sut.enqueue(real)]);

    const replaced = await webhooks.getJob(`${orphan.name}-${orphan.dedupeKey}`);
    expect(replaced?.data).toEqual({ payload: orphan.payload, accountId: 31_000_001, dedupeKey: orphan.dedupeKey });
    expect(await replaced?.getState()).toBe('waiting');
    expect((await webhooks.getJob(`${real.name}-${real.dedupeKey}`))?.data).toMatchObject({ marker: 'first' }); // not re-added
  });

  it('the same task twice (in one batch or later) is one job', async () => {
    const webhooks = queues.get(QueueName.CallWebhooks)!;
    const before = await webhooks.getWaitingCount();

    await Promise.all([sut.enqueue(processCallWebhookTask(31_000_001, '5000')), sut.enqueue(processCallWebhookTask(31_000_001, '5000'))]);
    await sut.enqueue(processCallWebhookTask(31_000_001, '5000'));

    expect(await webhooks.getWaitingCount()).toBe(before + 1);
  });
});
