import { CallTask, CallTaskName, CallTaskQueue, ExtensionDirectory, RecordingLinks } from '../../../src/call';

export class FakeCallTaskQueue implements CallTaskQueue {
  readonly enqueued: CallTask[] = [];
  private failure: Error | null = null;

  failWith(error: Error | null): void {
    this.failure = error;
  }

  async enqueue(task: CallTask): Promise<void> {
    if (this.failure) throw this.failure;
    this.enqueued.push(structuredClone(task));
  }

  /** Distinct jobs (name + dedupe key), as Bull would hold them while they exist. */
  jobs(name?: CallTaskName): CallTask[] {
    const seen = new Map<string, CallTask>();
    for (const task of this.enqueued) {
      if (name === undefined || task.name === name) seen.set(`${task.name}-${task.dedupeKey}`, task);
    }
    return [...seen.values()];
  }

  clear(): void {
    this.enqueued.length = 0;
  }
}

export class FakeExtensionDirectory implements ExtensionDirectory {
  private readonly users = new Map<string, number>();

  map(accountId: number, extension: string, userId: number): void {
    this.users.set(`${accountId}/${extension}`, userId);
  }

  async findUserId(accountId: number, extension: string): Promise<number | null> {
    return this.users.get(`${accountId}/${extension}`) ?? null;
  }
}

export class FakeRecordingLinks implements RecordingLinks {
  linkFor(accountId: number, callId: string): string {
    return `https://voip.example/recordings/${accountId}/${callId}?sig=test`;
  }
}
