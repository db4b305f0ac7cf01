import { CallWebhookDelivery, CallWebhookInbox, StoredCallWebhook } from '../../src';

/** The inbox's contract in memory: unique per (connection, dedupe key), ids in insertion order. */
export class InMemoryCallWebhookInbox implements CallWebhookInbox {
  readonly rows: StoredCallWebhook[] = [];
  failMarkEnqueued = false;
  /** Makes `add` throw: before writing (unreachable) or after committing the row (the answer was lost). */
  addFailure: { readonly error: Error; readonly afterCommit: boolean } | null = null;

  async add(delivery: CallWebhookDelivery): Promise<{ id: string; duplicate: boolean }> {
    if (this.addFailure && !this.addFailure.afterCommit) throw this.addFailure.error;
    const existing = this.rows.find((row) => row.connectionId === delivery.connectionId && row.dedupeKey === delivery.dedupeKey);
    if (existing) return { id: existing.id, duplicate: true };
    const id = String(this.rows.length + 1);
    this.rows.push({ ...delivery, id, enqueuedAt: null });
    if (this.addFailure) throw this.addFailure.error;
    return { id, duplicate: false };
  }

  async markEnqueued(ids: readonly string[], at: Date): Promise<void> {
    if (this.failMarkEnqueued) throw new Error('database unavailable');
    for (const [index, row] of this.rows.entries()) {
      if (ids.includes(row.id)) this.rows[index] = { ...row, enqueuedAt: at };
    }
  }

  async findNotEnqueued(receivedBefore: Date, limit: number): Promise<StoredCallWebhook[]> {
    return this.rows.filter((row) => row.enqueuedAt === null && row.receivedAt < receivedBefore).slice(0, limit);
  }

  async findById(id: string): Promise<StoredCallWebhook | null> {
    return this.rows.find((row) => row.id === id) ?? null;
  }

  async listReceivedSince(since: Date, after: string | null, limit: number): Promise<StoredCallWebhook[]> {
    return this.rows.filter((row) => row.receivedAt >= since && (after === null || Number(row.id) > Number(after))).slice(0, limit);
  }
}
