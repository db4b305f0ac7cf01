import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RebuildLostQueueUseCase, RelayCallWebhookInboxUseCase } from '@app/domain';
import { messageOf, PeriodicPass } from './periodic-pass';

/** Every few seconds, enqueue inbox rows whose job never reached Redis (outbox relay). */
const RELAY_INTERVAL_MS = 5_000;

@Injectable()
export class CallWebhookInboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxRelay');
  private readonly loop = new PeriodicPass(RELAY_INTERVAL_MS, () => this.pass(), (error) => this.logger.warn(`inbox relay failed, retrying later: ${messageOf(error)}`));

  constructor(
    private readonly relay: RelayCallWebhookInboxUseCase,
    private readonly rebuild: RebuildLostQueueUseCase,
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

  /**
   * One pass: first, if Redis lost its data since the last pass, the inbox's recent deliveries are replayed; then
   * rows that never reached the queue are enqueued.
   */
  private async pass(): Promise<void> {
    await this.rebuildIfLost();
    const { relayed } = await this.relay.execute();
    if (relayed > 0) this.logger.log(`relayed ${relayed} webhook deliveries to the queue`);
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
