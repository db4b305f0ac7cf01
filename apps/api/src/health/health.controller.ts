import { Controller, Get, HttpCode, HttpStatus, Inject, Res } from '@nestjs/common';
import { checkReadiness, QUEUE_DEPTH_SOURCE, REDIS } from '@app/application';
import type { QueueDepthSource, ReadinessReport } from '@app/application';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(QUEUE_DEPTH_SOURCE) private readonly queues: QueueDepthSource,
  ) {}

  /** The process is up (no dependency checked: a restart would not fix PostgreSQL). */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** PostgreSQL and Redis answer; queue depth and lag are reported (503 when a dependency is down). */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const report = await checkReadiness({ dataSource: this.dataSource, redis: this.redis, queues: this.queues });
    if (report.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
