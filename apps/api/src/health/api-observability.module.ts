import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ObservabilityModule } from '@app/application';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';

/** /health/live, /health/ready, /metrics and request timing for every route. */
@Module({
  imports: [ObservabilityModule],
  controllers: [HealthController, MetricsController],
  providers: [HttpMetricsMiddleware],
})
export class ApiObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
