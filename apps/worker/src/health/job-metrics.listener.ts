import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import { ALL_QUEUES, AppMetrics } from '@app/application';
import type { Job, Queue } from 'bull';

/** Job run times and stalls from Bull's local events (this worker's jobs only). */
@Injectable()
export class JobMetricsListener implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');

  constructor(
    @Inject(AppMetrics) private readonly metrics: AppMetrics,
    private readonly modules: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of ALL_QUEUES) {
      const queue = this.modules.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('completed', (job: Job) => this.observe(name, job, 'completed'));
      queue.on('failed', (job: Job) => this.observe(name, job, job.attemptsMade >= (job.opts.attempts ?? 1) ? 'failed' : 'retry'));
      queue.on('stalled', (job: Job) => {
        this.metrics.jobsStalled.inc({ queue: name });
        this.logger.warn(`job ${String(job.id)} (${job.name}) stalled and will run again (account ${accountOf(job) ?? '-'})`);
      });
    }
  }

  private observe(queue: string, job: Job, outcome: string): void {
    const startedAt = job.processedOn ?? job.timestamp;
    const seconds = Math.max(0, Date.now() - startedAt) / 1000;
    this.metrics.jobDuration.observe({ queue, task: job.name, outcome }, seconds);
  }
}

function accountOf(job: Job): number | null {
  const accountId = (job.data as { accountId?: unknown } | undefined)?.accountId;
  return typeof accountId === 'number' ? accountId : null;
}
