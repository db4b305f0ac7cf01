import { CallWebhookSpool, DrainCallWebhookSpoolResult } from '@app/domain';
import { Counter, Gauge, Registry } from 'prom-client';
import { counterOn } from '../../observability/counter-on';

/**
 * Metrics of the webhook spool (PostgreSQL-down ingest path), registered on the process's registry
 * (AppMetrics.registry) next to the others:
 * - kommo_voip_webhooks_spooled_total{provider,outcome}: deliveries acknowledged through the spool
 *   (outcome stored | duplicate);
 * - kommo_voip_webhooks_not_stored_total{provider}: deliveries refused with 503 because the spool failed too
 *   (at risk at the provider);
 * - kommo_voip_webhook_spool_drained_total{outcome}: spooled deliveries moved to the inbox (new | duplicate);
 * - kommo_voip_webhook_spool_entries: deliveries waiting in the spool, read from Redis when scraped.
 */
export class CallWebhookSpoolMetrics {
  private readonly spooled: Counter<'provider' | 'outcome'> | null;
  private readonly notStored: Counter<'provider'> | null;
  private readonly drainedTotal: Counter<'outcome'> | null;

  constructor(registry: Registry | null, spool: CallWebhookSpool) {
    this.spooled = registry
      ? counterOn(registry, 'kommo_voip_webhooks_spooled_total', 'Webhook deliveries acknowledged through the Redis spool because the inbox (PostgreSQL) was unavailable', ['provider', 'outcome'])
      : null;
    this.notStored = registry
      ? counterOn(registry, 'kommo_voip_webhooks_not_stored_total', 'Webhook deliveries refused with 503: neither the inbox nor the spool could store them (at risk at the provider)', ['provider'])
      : null;
    this.drainedTotal = registry
      ? counterOn(registry, 'kommo_voip_webhook_spool_drained_total', 'Spooled webhook deliveries moved into the inbox (new rows, or duplicates of rows already there)', ['outcome'])
      : null;
    if (registry) {
      metric(registry, 'kommo_voip_webhook_spool_entries', () =>
        new Gauge({
          name: 'kommo_voip_webhook_spool_entries',
          help: 'Webhook deliveries waiting in the Redis spool for the inbox (read when scraped; absent when Redis does not answer)',
          registers: [registry],
          async collect() {
            this.reset();
            const size = await Promise.race([spool.size().catch(() => null), new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000).unref())]);
            if (size !== null) this.set(size);
          },
        }),
      );
    }
  }

  spooledDelivery(provider: string, duplicate: boolean): void {
    this.spooled?.inc({ provider, outcome: duplicate ? 'duplicate' : 'stored' });
  }

  refusedDelivery(provider: string): void {
    this.notStored?.inc({ provider });
  }

  drained(result: DrainCallWebhookSpoolResult): void {
    if (result.drained > 0) this.drainedTotal?.inc({ outcome: 'new' }, result.drained);
    if (result.duplicates > 0) this.drainedTotal?.inc({ outcome: 'duplicate' }, result.duplicates);
  }
}

/** One metric per name and registry (a second module instance in the same process reuses it). */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
