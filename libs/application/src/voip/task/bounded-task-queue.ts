import { Task, TaskQueue } from '@app/domain';

export class EnqueueTimeoutError extends Error {
  constructor(taskName: string, timeoutMs: number) {
    super(`Enqueueing ${taskName} took more than ${timeoutMs} ms`);
    this.name = 'EnqueueTimeoutError';
  }
}

/**
 * A TaskQueue that gives up after `timeoutMs`. On the webhook request path a slow or absent Redis must
 * not hold the provider's request: the inbox row is already committed and the relay enqueues it later.
 * (A job that still reaches Redis after the timeout is harmless: its id is derived from the inbox row.)
 */
export class BoundedTaskQueue implements TaskQueue {
  constructor(
    private readonly inner: TaskQueue,
    private readonly timeoutMs: number,
  ) {}

  async enqueue(task: Task): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EnqueueTimeoutError(task.name, this.timeoutMs)), this.timeoutMs);
    });
    try {
      await Promise.race([this.inner.enqueue(task), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
