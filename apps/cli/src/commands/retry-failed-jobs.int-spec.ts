import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { retryFailedJobs } from './retry-failed-jobs';

/** Real Redis, real Bull: jobs that exhausted their attempts are moved back, per account if asked. */
describe('retryFailedJobs (real Bull on Redis)', () => {
  let queue: Bull.Queue;

  beforeEach(async () => {
    queue = new Bull('call-logging', process.env.REDIS_URL!, { prefix: `test-retry-${randomBytes(4).toString('hex')}` });
    let calls = 0;
    void queue.process('voip.add-call', 5, async () => {
      calls += 1;
      throw new Error(`Kommo unavailable (${calls})`);
    });
    const jobs = [
      { id: 'a-1', accountId: 1 },
      { id: 'a-2', accountId: 1 },
      { id: 'b-1', accountId: 2 },
    ];
    await Promise.all(jobs.map((job) => queue.add('voip.add-call', { accountId: job.accountId, payload: {} }, { jobId: job.id, attempts: 1 })));
    for (let tries = 0; (await queue.getFailedCount()) < 3 && tries < 100; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.pause(true);
  });
  afterEach(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('lists without changing anything on a dry run', async () => {
    const report = await retryFailedJobs(queue, { dryRun: true });
    expect(report).toMatchObject({ queue: 'call-logging', failed: 3, retried: 0 });
    expect(report.jobs.map((job) => job.id).sort()).toEqual(['a-1', 'a-2', 'b-1']);
    expect(report.jobs[0].reason).toContain('Kommo unavailable');
    expect(await queue.getFailedCount()).toBe(3);
  });

  it('retries only the jobs of one account, reporting progress', async () => {
    const progress: number[] = [];
    const report = await retryFailedJobs(queue, { accountId: 1 }, (done) => progress.push(done));

    expect(report.retried).toBe(2);
    expect(report.jobs.map((job) => job.id).sort()).toEqual(['a-1', 'a-2']);
    expect((await queue.getFailed()).map((job) => String(job.id))).toEqual(['b-1']);
    expect((await queue.getWaiting()).map((job) => String(job.id)).sort()).toEqual(['a-1', 'a-2']);
    expect(progress.length).toBe(2);
  });

  it('retries every failed job when no account is given', async () => {
    expect((await retryFailedJobs(queue, {})).retried).toBe(3);
    expect(await queue.getFailedCount()).toBe(0);
  });
});
