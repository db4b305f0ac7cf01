import { Controller, Get, Header } from '@nestjs/common';
import { AppMetrics, METRICS_CONTENT_TYPE } from '@app/application';

/**
 * Prometheus scrape endpoint. Exposes counts and latencies only (no ids, no secrets); keep it off the public
 * internet at the proxy if the deployment prefers (it is on the same port as the api).
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AppMetrics) {}

  @Get()
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
