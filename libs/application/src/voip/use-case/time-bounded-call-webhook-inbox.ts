import { CallWebhookDelivery, CallWebhookInbox, StoredCallWebhook } from '@app/domain';

export class InboxTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The webhook inbox did not answer within ${timeoutMs} ms`);
    this.name = 'InboxTimeoutError';
  }
}

/**
 * The inbox as the webhook request path sees it: `add` gives up after `addTimeoutMs`, so a hung PostgreSQL
 * (SIGSTOP, a full pool waiting on `connectionTimeoutMillis`) does not hold the provider's request; the
 * delivery goes to the spool instead. An insert that still commits after the timeout is harmless: the drain
 * adds the spooled copy under the same dedupe key (a duplicate) and the relay enqueues the row.
 */
export class TimeBoundedCallWebhookInbox implements CallWebhookInbox {
  constructor(
    private readonly inner: CallWebhookInbox,
    private readonly addTimeoutMs: number,
  ) {}

  async add(delivery: CallWebhookDelivery): Promise<{ id: string; duplicate: boolean }> {
    const insert = this.inner.add(delivery);
    insert.catch(() => undefined); // a late failure after the timeout is not an unhandled rejection
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InboxTimeoutError(this.addTimeoutMs)), this.addTimeoutMs);
    });
    try {
      return await Promise.race([insert, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  markEnqueued(ids: readonly string[], at: Date): Promise<void> {
    return this.inner.markEnqueued(ids, at);
  }

  findNotEnqueued(receivedBefore: Date, limit: number): Promise<StoredCallWebhook[]> {
    return this.inner.findNotEnqueued(receivedBefore, limit);
  }

  findById(id: string): Promise<StoredCallWebhook | null> {
    return this.inner.findById(id);
  }

  listReceivedSince(since: Date, after: string | null, limit: number): Promise<StoredCallWebhook[]> {
    return this.inner.listReceivedSince(since, after, limit);
  }
}
