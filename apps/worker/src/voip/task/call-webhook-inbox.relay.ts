import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RebuildLostQueueUseCase, RelayCallWebhookInboxUseCase } from '@app/domain';

/** Every few seconds, enqueue inbox rows whose job never reached Redis (outbox relay). */
const RELAY_INTERVAL_MS = 5_000;

@Injectable()
export class CallWebhookInboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxRelay');
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly relay: RelayCallWebhookInboxUseCase,
    private readonly rebuild: RebuildLostQueueUseCase,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * One pass: first, if Redis lost its data since the last pass, the inbox's recent deliveries are replayed; then
   * rows that never reached the queue are enqueued. Overlapping passes are skipped; failures are logged and
   * retried on the next tick.
   */
  runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.rebuildIfLost()
      .then(() => this.relay.execute())
      .then(({ relayed }) => {
        if (relayed > 0) this.logger.log(`relayed ${relayed} webhook deliveries to the queue`);
      })
      .catch((error: unknown) => this.logger.warn(`inbox relay failed, retrying later: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async rebuildIfLost(): Promise<void> {
    const started = Date.now();
    const result = await this.rebuild.execute((replayed) => this.logger.log(`rebuilding the queues: ${replayed} deliveries replayed so far`));
    if (result) {
      this.logger.warn(
        `Redis held no queue data marker (first start, or its data was lost): replayed ${result.replayed} deliveries of the last 24 h from PostgreSQL in ${Date.now() - started} ms`,
      );
    }
  }
}
