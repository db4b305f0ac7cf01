import { Clock } from '../../../shared/clock.port';
import { processCallWebhookTask } from '../../../task/task';
import { TaskQueue } from '../../../task/task-queue.port';
import { CallWebhookInbox } from '../../call-webhook-inbox.port';
import { CallWebhookSpool } from '../../call-webhook-spool.port';

export interface DrainCallWebhookSpoolResult {
  /** Deliveries moved from the spool to the inbox as new rows. */
  readonly drained: number;
  /** Spooled deliveries the inbox already held (their first attempt committed after all, or a provider retry). */
  readonly duplicates: number;
}

/**
 * The inbox is back: move spooled deliveries into it, then enqueue them as the request would have.
 *
 * Safe with several drainers and with a crash at any point, because the inbox is the arbiter:
 * - a delivery leaves the spool only after the inbox holds it (crash before: it is added again next time
 *   and collapses on the dedupe key; nothing lost);
 * - only the drainer whose insert created the row enqueues it (two drainers on one delivery: one row, one
 *   job; nothing doubled); a crash between insert and enqueue leaves a row the inbox relay enqueues.
 *
 * A pass stops at the first delivery the inbox refuses (still unavailable: the caller runs it again later)
 * and throws that error when nothing moved.
 */
export class DrainCallWebhookSpoolUseCase {
  constructor(
    private readonly spool: CallWebhookSpool,
    private readonly inbox: CallWebhookInbox,
    private readonly queue: TaskQueue,
    private readonly clock: Clock,
    private readonly options: { readonly batchSize: number },
  ) {}

  async execute(): Promise<DrainCallWebhookSpoolResult> {
    let drained = 0;
    let duplicates = 0;
    for (;;) {
      const batch = await this.spool.sample(this.options.batchSize);
      if (batch.length === 0) return { drained, duplicates };
      for (const delivery of batch) {
        let added: { id: string; duplicate: boolean };
        try {
          added = await this.inbox.add(delivery);
        } catch (error) {
          if (drained + duplicates === 0) throw error;
          return { drained, duplicates };
        }
        if (added.duplicate) {
          duplicates += 1;
        } else {
          drained += 1;
          await this.enqueue(delivery.accountId, added.id);
        }
        await this.spool.remove(delivery);
      }
      if (batch.length < this.options.batchSize) return { drained, duplicates };
    }
  }

  /** Best effort: a row left not enqueued is the inbox relay's (its received_at is already past the grace). */
  private async enqueue(accountId: number, inboxId: string): Promise<void> {
    try {
      await this.queue.enqueue(processCallWebhookTask(accountId, inboxId));
      await this.inbox.markEnqueued([inboxId], this.clock.now());
    } catch {
      // the relay enqueues it under the same job id
    }
  }
}
