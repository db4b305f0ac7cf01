import { Clock } from '../../../shared/clock.port';
import { processCallWebhookTask } from '../../../task/task';
import { QueueDataMarker } from '../../../task/queue-data-marker.port';
import { TaskQueue } from '../../../task/task-queue.port';
import { CallWebhookInbox } from '../../call-webhook-inbox.port';

export interface RebuildLostQueueOptions {
  /** Deliveries received this far back are replayed (older calls are expected to be done long ago). */
  readonly windowMs: number;
  readonly batchSize: number;
}

/**
 * The queue store lost its data (Redis restarted empty): the jobs it held — webhooks not processed yet, calls not
 * logged yet, their follow-ups — are gone, while PostgreSQL still has every delivery. Replays the inbox's recent
 * deliveries through the pipeline: processing a delivery again changes nothing that was applied and enqueues again
 * whatever the call still needs (AddCall while it is not in Kommo, a note update, callback tasks — their own
 * ledgers keep each of them once). Runs once per lost dataset, in whichever process sees it first.
 */
export class RebuildLostQueueUseCase {
  constructor(
    private readonly marker: QueueDataMarker,
    private readonly inbox: CallWebhookInbox,
    private readonly queue: TaskQueue,
    private readonly clock: Clock,
    private readonly options: RebuildLostQueueOptions,
  ) {}

  /** null when the queue store's data is intact (nothing to do); else how many deliveries were replayed. */
  async execute(onProgress?: (replayed: number) => void): Promise<{ replayed: number } | null> {
    if (!(await this.marker.claimRebuild())) return null;
    const since = new Date(this.clock.now().getTime() - this.options.windowMs);
    let replayed = 0;
    let after: string | null = null;
    for (;;) {
      const rows = await this.inbox.listReceivedSince(since, after, this.options.batchSize);
      for (const row of rows) await this.queue.enqueue(processCallWebhookTask(row.accountId, row.id));
      replayed += rows.length;
      if (rows.length > 0) onProgress?.(replayed);
      if (rows.length < this.options.batchSize) break;
      after = rows[rows.length - 1].id;
    }
    await this.marker.confirmRebuilt();
    return { replayed };
  }
}
