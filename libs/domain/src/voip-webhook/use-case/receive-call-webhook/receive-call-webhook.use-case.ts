import { processCallWebhookTask } from '../../../task/task';
import { TaskQueue } from '../../../task/task-queue.port';
import { CallWebhookDelivery, CallWebhookInbox } from '../../call-webhook-inbox.port';
import { CallWebhookSpool } from '../../call-webhook-spool.port';
import { CallWebhookNotStoredError } from '../../voip-webhook.errors';

export type ReceiveCallWebhookResult =
  | {
      readonly stored: 'inbox';
      readonly inboxId: string;
      readonly duplicate: boolean;
      /** False when the queue could not take the job now; the relay enqueues it later. */
      readonly enqueued: boolean;
    }
  | {
      /** The inbox could not take it: kept in the spool until the drain moves it to the inbox. */
      readonly stored: 'spool';
      readonly inboxId: null;
      /** Already spooled (a provider retry while the inbox was unavailable). */
      readonly duplicate: boolean;
      readonly enqueued: false;
      /** Why the inbox refused (an error message, no payload). */
      readonly inboxFailure: string;
    };

/**
 * A provider delivers a verified call webhook: record it durably, then hand it to the workers.
 * The order matters: inbox first (duplicates stop here), enqueue second (may fail: the row stays and
 * the relay retries), never a Kommo call on this path.
 *
 * When the inbox is unavailable (PostgreSQL down or too slow: the adapter given here is expected to give up
 * within its own bound), the delivery goes to the spool instead and is still acknowledged; the spool drain
 * adds it to the inbox later under the same dedupe key, so a delivery that did reach the inbox as well
 * collapses there. Only when the spool fails too does the error reach the provider
 * ({@link CallWebhookNotStoredError}).
 */
export class ReceiveCallWebhookUseCase {
  constructor(
    private readonly inbox: CallWebhookInbox,
    private readonly queue: TaskQueue,
    private readonly spool: CallWebhookSpool,
  ) {}

  async execute(delivery: CallWebhookDelivery): Promise<ReceiveCallWebhookResult> {
    let added: { id: string; duplicate: boolean };
    try {
      added = await this.inbox.add(delivery);
    } catch (inboxError) {
      return this.spoolInstead(delivery, inboxError);
    }
    const { id, duplicate } = added;
    if (duplicate) return { stored: 'inbox', inboxId: id, duplicate, enqueued: false };
    try {
      await this.queue.enqueue(processCallWebhookTask(delivery.accountId, id));
    } catch {
      return { stored: 'inbox', inboxId: id, duplicate, enqueued: false };
    }
    // Not awaited: the provider's answer does not wait for this bookkeeping write. If it is lost, the relay
    // enqueues the row again under the same job id, and SaveCallEvent ignores a delivery it already applied.
    void this.inbox.markEnqueued([id], delivery.receivedAt).catch(() => undefined);
    return { stored: 'inbox', inboxId: id, duplicate, enqueued: true };
  }

  private async spoolInstead(delivery: CallWebhookDelivery, inboxError: unknown): Promise<ReceiveCallWebhookResult> {
    const inboxFailure = messageOf(inboxError);
    try {
      const { duplicate } = await this.spool.put(delivery);
      return { stored: 'spool', inboxId: null, duplicate, enqueued: false, inboxFailure };
    } catch (spoolError) {
      throw new CallWebhookNotStoredError(inboxFailure, messageOf(spoolError));
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
