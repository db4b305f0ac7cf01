import { CallTask, CallTaskQueue, Task, TaskQueue } from '@app/domain';
import { Queue } from 'bull';
import { DEFAULT_TASK_OPTIONS, jobIdFor } from './default-task-options';
import { QUEUE_OF_TASK, QueueName } from './queue-name';

/** Job data as stored in Redis: the task's payload plus what the worker needs to park it. */
export interface TaskJobData {
  readonly payload: unknown;
  readonly accountId: number;
  readonly dedupeKey: string;
}

interface PendingJob {
  readonly name: string;
  readonly data: TaskJobData;
  readonly jobId: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Deletes the given job hashes that have no `data`: left by an operation that was in flight when Redis lost its
 * dataset (a worker's failed-attempt bookkeeping writes fields into the job's hash unconditionally). Such a hash is
 * no job — in no list, never run — yet Bull's add would take it for an existing job with that id and add nothing.
 */
const DELETE_ORPHAN_JOB_HASHES = `
local removed = 0
for _, key in ipairs(KEYS) do
  if redis.call('type', key).ok == 'hash' and redis.call('hexists', key, 'data') == 0 then
    redis.call('del', key)
    removed = removed + 1
  end
end
return removed`;

/**
 * The TaskQueue (and CallTaskQueue) port on Bull. Only producers here: processors live in apps/worker.
 * Tasks enqueued in the same event-loop turn (concurrent webhooks) go to Redis as one `addBulk` (one MULTI, one
 * write) instead of one round trip each; every task still gets its own answer: a job Redis did not add (no id
 * back) rejects that task's promise only. Before adding, a job hash without data under one of the ids is removed
 * (one small script for the batch): see DELETE_ORPHAN_JOB_HASHES.
 */
export class BullTaskQueue implements TaskQueue, CallTaskQueue {
  private readonly pending = new Map<Queue, PendingJob[]>();

  constructor(private readonly queues: ReadonlyMap<QueueName, Queue>) {}

  enqueue(task: Task | CallTask): Promise<void> {
    const queue = this.queues.get(QUEUE_OF_TASK[task.name]);
    if (!queue) return Promise.reject(new Error(`No queue registered for task ${task.name}`));
    const data: TaskJobData = { payload: task.payload, accountId: task.accountId, dedupeKey: task.dedupeKey };
    return new Promise<void>((resolve, reject) => {
      const jobs = this.pending.get(queue);
      const job = { name: task.name, data, jobId: jobIdFor(task.name, task.dedupeKey), resolve, reject };
      if (jobs) {
        jobs.push(job);
        return;
      }
      this.pending.set(queue, [job]);
      setImmediate(() => this.flush(queue));
    });
  }

  private flush(queue: Queue): void {
    const jobs = this.pending.get(queue) ?? [];
    this.pending.delete(queue);
    queue
      .isReady()
      .then(() => queue.client.eval(DELETE_ORPHAN_JOB_HASHES, jobs.length, ...jobs.map((job) => queue.toKey(job.jobId))))
      .then(() => queue.addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: { ...DEFAULT_TASK_OPTIONS, jobId: job.jobId } }))))
      .then(
        (added) =>
          jobs.forEach((job, index) => {
            // Bull answers each job's id (the existing one for a duplicate job id); none means this add failed.
            if (added[index]?.id !== undefined && added[index]?.id !== null) job.resolve();
            else job.reject(new Error(`Redis did not add job ${job.jobId}`));
          }),
        (error: unknown) => jobs.forEach((job) => job.reject(error)),
      );
  }
}
