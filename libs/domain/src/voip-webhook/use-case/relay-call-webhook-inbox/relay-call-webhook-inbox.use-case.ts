import { Clock } from '../../../shared/clock.port';
import { processCallWebhookTask } from '../../../task/task';
import { TaskQueue } from '../../../task/task-queue.port';
import { CallWebhookInbox } from '../../call-webhook-inbox.port';

export interface RelayCallWebhookInboxOptions {
  /** Rows younger than this are left to the request that wrote them. */
  readonly graceMs: number;
  readonly batchSize: number;
}

/**
 * The outbox relay: deliveries that were recorded but never made it to the queue (Redis down, crash
 * between commit and enqueue) are enqueued now. Job ids come from the row, so a row enqueued twice
 * is still one job.
 */
export class RelayCallWebhookInboxUseCase {
  constructor(
    private readonly inbox: CallWebhookInbox,
    private readonly queue: TaskQueue,
    private readonly clock: Clock,
    private readonly options: RelayCallWebhookInboxOptions,
  ) {}

  async execute(): Promise<{ relayed: number }> {
    let relayed = 0;
    for (;;) {
      const now = this.clock.now();
      const pending = await this.inbox.findNotEnqueued(new Date(now.getTime() - this.options.graceMs), this.options.batchSize);
      if (pending.length === 0) return { relayed };
      for (const row of pending) await this.queue.enqueue(processCallWebhookTask(row.accountId, row.id));
      await this.inbox.markEnqueued(
        pending.map((row) => row.id),
        now,
      );
      relayed += pending.length;
      if (pending.length < this.options.batchSize) return { relayed };
    }
  }
}
