import { processCallWebhookTask } from '../../../task/task';
import { TaskQueue } from '../../../task/task-queue.port';
import { CallWebhookDelivery, CallWebhookInbox } from '../../call-webhook-inbox.port';

export interface ReceiveCallWebhookResult {
  readonly inboxId: string;
  readonly duplicate: boolean;
  /** False when the queue could not take the job now; the relay enqueues it later. */
  readonly enqueued: boolean;
}

/**
 * A provider delivers a verified call webhook: record it durably, then hand it to the workers.
 * The order matters: inbox first (duplicates stop here), enqueue second (may fail: the row stays and
 * the relay retries), never a Kommo call on this path.
 */
export class ReceiveCallWebhookUseCase {
  constructor(
    private readonly inbox: CallWebhookInbox,
    private readonly queue: TaskQueue,
  ) {}

  async execute(delivery: CallWebhookDelivery): Promise<ReceiveCallWebhookResult> {
    const { id, duplicate } = await this.inbox.add(delivery);
    if (duplicate) return { inboxId: id, duplicate, enqueued: false };
    try {
      await this.queue.enqueue(processCallWebhookTask(delivery.accountId, id));
    } catch {
      return { inboxId: id, duplicate, enqueued: false };
    }
    // Not awaited: the provider's answer does not wait for this bookkeeping write. If it is lost, the relay
    // enqueues the row again under the same job id, and SaveCallEvent ignores a delivery it already applied.
    void this.inbox.markEnqueued([id], delivery.receivedAt).catch(() => undefined);
    return { inboxId: id, duplicate, enqueued: true };
  }
}
