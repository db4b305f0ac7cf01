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

/** The TaskQueue (and CallTaskQueue) port on Bull. Only producers here: processors live in apps/worker. */
export class BullTaskQueue implements TaskQueue, CallTaskQueue {
  constructor(private readonly queues: ReadonlyMap<QueueName, Queue>) {}

  async enqueue(task: Task | CallTask): Promise<void> {
    const queue = this.queues.get(QUEUE_OF_TASK[task.name]);
    if (!queue) throw new Error(`No queue registered for task ${task.name}`);
    const data: TaskJobData = { payload: task.payload, accountId: task.accountId, dedupeKey: task.dedupeKey };
    await queue.add(task.name, data, { ...DEFAULT_TASK_OPTIONS, jobId: jobIdFor(task.name, task.dedupeKey) });
  }
}
