import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { REDIS } from '@app/application';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; database: 'up'; redis: 'up' }> {
    const [database, redis] = await Promise.allSettled([this.dataSource.query('SELECT 1'), this.redis.ping()]);
    if (database.status === 'rejected' || redis.status === 'rejected') {
      throw new ServiceUnavailableException({
        message: 'not ready',
        database: database.status === 'fulfilled' ? 'up' : 'down',
        redis: redis.status === 'fulfilled' ? 'up' : 'down',
      });
    }
    return { status: 'ok', database: 'up', redis: 'up' };
  }
}
