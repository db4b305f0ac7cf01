import { Task, TaskQueue } from '../../src';

export class FakeTaskQueue implements TaskQueue {
  readonly enqueued: Task[] = [];
  private failure: Error | null = null;

  failWith(error: Error | null): void {
    this.failure = error;
  }

  async enqueue(task: Task): Promise<void> {
    if (this.failure) throw this.failure;
    this.enqueued.push({ ...task });
  }
}
