import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { onKommoHttpExchange } from '@app/kommo';
import type { Queue } from 'bull';
import { VoipTaskModule } from '../voip/task/voip-task.module';
import { ALL_QUEUES } from '../voip/task/queue-name';
import { AppMetrics } from './app-metrics';
import { BullQueueDepthSource } from './readiness';

/** The Bull queues' depth, shared by /metrics and the readiness probes. */
export const QUEUE_DEPTH_SOURCE = Symbol('QUEUE_DEPTH_SOURCE');

@Injectable()
class KommoExchangeSubscription implements OnApplicationShutdown {
  private readonly unsubscribe: () => void;

  constructor(@Inject(AppMetrics) metrics: AppMetrics) {
    this.unsubscribe = onKommoHttpExchange((exchange) => metrics.recordKommoExchange(exchange));
  }

  onApplicationShutdown(): void {
    this.unsubscribe();
  }
}

/** Metrics registry of the process, Kommo request counting, queue depth for metrics and readiness. */
@Global()
@Module({
  imports: [VoipTaskModule],
  providers: [
    {
      provide: QUEUE_DEPTH_SOURCE,
      useFactory: (...queues: Queue[]) => new BullQueueDepthSource(queues),
      inject: ALL_QUEUES.map((name) => getQueueToken(name)),
    },
    {
      provide: AppMetrics,
      useFactory: (source: BullQueueDepthSource) => {
        const metrics = new AppMetrics();
        metrics.useQueueSource(source);
        return metrics;
      },
      inject: [QUEUE_DEPTH_SOURCE],
    },
    KommoExchangeSubscription,
  ],
  exports: [AppMetrics, QUEUE_DEPTH_SOURCE],
})
export class ObservabilityModule {}
