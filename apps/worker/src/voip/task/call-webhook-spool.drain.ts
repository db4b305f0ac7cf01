import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CALL_WEBHOOK_SPOOL, CallWebhookSpoolMetrics } from '@app/application';
import { DrainCallWebhookSpoolUseCase } from '@app/domain';
import type { CallWebhookSpool } from '@app/domain';
import { messageOf, PeriodicPass } from './periodic-pass';

/**
 * Every second: if the webhook spool holds deliveries (the api acknowledged them while PostgreSQL was
 * unavailable), move them into the inbox. One HLEN per tick when the spool is empty.
 *
 * It runs in the worker, beside the inbox relay, rather than in the api: the api's event loop stays on acks
 * (the drain is a burst of inserts exactly when PostgreSQL comes back and providers retry), and the worker
 * already owns the inbox → queue hand-off. Several workers may drain at once: the inbox's dedupe key is the
 * arbiter (see DrainCallWebhookSpoolUseCase).
 */
const DRAIN_INTERVAL_MS = 1_000;
/** While the inbox stays unavailable, the failure is logged at most this often. */
const FAILURE_LOG_EVERY_MS = 10_000;

@Injectable()
export class CallWebhookSpoolDrain implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookSpoolDrain');
  private readonly loop = new PeriodicPass(DRAIN_INTERVAL_MS, () => this.pass(), (error) => this.failed(error));
  private failureLoggedAt = 0;

  constructor(
    private readonly drain: DrainCallWebhookSpoolUseCase,
    @Inject(CALL_WEBHOOK_SPOOL) private readonly spool: CallWebhookSpool,
    private readonly metrics: CallWebhookSpoolMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  runOnce(): Promise<void> {
    return this.loop.runOnce();
  }

  /** While the inbox stays unavailable, logged at most every FAILURE_LOG_EVERY_MS. */
  private failed(error: unknown): void {
    const now = Date.now();
    if (now - this.failureLoggedAt < FAILURE_LOG_EVERY_MS) return;
    this.failureLoggedAt = now;
    this.logger.warn(`webhook spool not drained yet, retrying every ${DRAIN_INTERVAL_MS} ms: ${messageOf(error)}`);
  }

  private async pass(): Promise<void> {
    const waiting = await this.spool.size();
    if (waiting === 0) return;
    const result = await this.drain.execute();
    this.metrics.drained(result);
    this.failureLoggedAt = 0;
    this.logger.log(`webhook spool drained into the inbox: ${result.drained} new, ${result.duplicates} already there (${waiting} were waiting)`);
  }
}
