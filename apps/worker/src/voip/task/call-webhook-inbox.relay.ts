import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RelayCallWebhookInboxUseCase } from '@app/domain';

/** Every few seconds, enqueue inbox rows whose job never reached Redis (outbox relay). */
const RELAY_INTERVAL_MS = 5_000;

@Injectable()
export class CallWebhookInboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboxRelay');
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly relay: RelayCallWebhookInboxUseCase) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; overlapping passes are skipped. Failures are logged and retried on the next tick. */
  runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.relay
      .execute()
      .then(({ relayed }) => {
        if (relayed > 0) this.logger.log(`relayed ${relayed} webhook deliveries to the queue`);
      })
      .catch((error: unknown) => this.logger.warn(`inbox relay failed, retrying later: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
