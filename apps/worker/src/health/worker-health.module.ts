import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@app/application';
import { JobMetricsListener } from './job-metrics.listener';
import { WorkerHealthServer } from './worker-health.server';

/** The worker's health/metrics listener and job metrics. */
@Module({
  imports: [ObservabilityModule],
  providers: [JobMetricsListener, WorkerHealthServer],
})
export class WorkerHealthModule {}
