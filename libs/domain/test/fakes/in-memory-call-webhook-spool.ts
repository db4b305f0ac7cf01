import { CallWebhookDelivery, CallWebhookSpool } from '../../src';

/** The spool's contract in memory: one entry per (connection, dedupe key); `failWith` makes every call throw. */
export class InMemoryCallWebhookSpool implements CallWebhookSpool {
  readonly entries = new Map<string, CallWebhookDelivery>();
  private failure: Error | null = null;

  failWith(error: Error | null): void {
    this.failure = error;
  }

  async put(delivery: CallWebhookDelivery): Promise<{ duplicate: boolean }> {
    this.check();
    const key = keyOf(delivery);
    if (this.entries.has(key)) return { duplicate: true };
    this.entries.set(key, { ...delivery });
    return { duplicate: false };
  }

  async sample(limit: number): Promise<CallWebhookDelivery[]> {
    this.check();
    return [...this.entries.values()].slice(0, limit);
  }

  async remove(delivery: CallWebhookDelivery): Promise<void> {
    this.check();
    this.entries.delete(keyOf(delivery));
  }

  async size(): Promise<number> {
    this.check();
    return this.entries.size;
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}

function keyOf(delivery: CallWebhookDelivery): string {
  return JSON.stringify([delivery.connectionId, delivery.dedupeKey]);
}
