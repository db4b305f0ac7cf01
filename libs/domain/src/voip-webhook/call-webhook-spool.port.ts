import { CallWebhookDelivery } from './call-webhook-inbox.port';

/**
 * Where a verified delivery waits when the inbox (PostgreSQL) cannot take it: durable enough to acknowledge
 * the provider, drained into the inbox once it is back. One entry per (connection, dedupe key): a provider
 * retry of a spooled delivery is stored once.
 */
export interface CallWebhookSpool {
  /** Stores the delivery unless one with the same connection and dedupe key is already spooled. Throws when it cannot. */
  put(delivery: CallWebhookDelivery): Promise<{ duplicate: boolean }>;
  /** Up to `limit` spooled deliveries, in no particular order (several drainers see different samples). */
  sample(limit: number): Promise<CallWebhookDelivery[]>;
  /** Forgets a delivery: only once the inbox holds it. Removing one already removed is fine. */
  remove(delivery: CallWebhookDelivery): Promise<void>;
  /** How many deliveries wait. */
  size(): Promise<number>;
}
