import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppMetrics, checkReadiness, METRICS_CONTENT_TYPE, QUEUE_DEPTH_SOURCE, REDIS } from '@app/application';
import type { AppConfig, QueueDepthSource } from '@app/application';
import type { Redis } from 'ioredis';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';

/**
 * The worker's only listener: GET /health/live, /health/ready (PostgreSQL, Redis, queue lag) and /metrics,
 * on WORKER_HEALTH_PORT (0: none). Plain node:http: the worker has no Nest HTTP stack.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AppMetrics) private readonly metrics: AppMetrics,
    @Inject(QUEUE_DEPTH_SOURCE) private readonly queues: QueueDepthSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.workerHealthPort === 0) return;
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.workerHealthPort, '0.0.0.0', () => resolve());
    });
    this.server = server;
    this.logger.log(`health and metrics on :${(server.address() as AddressInfo).port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method !== 'GET') return send(response, 405, 'application/json', { message: 'method not allowed' });
      if (path === '/health/live') return send(response, 200, 'application/json', { status: 'ok' });
      if (path === '/health/ready') {
        const report = await checkReadiness({ dataSource: this.dataSource, redis: this.redis, queues: this.queues });
        return send(response, report.status === 'ok' ? 200 : 503, 'application/json', report);
      }
      if (path === '/metrics') return send(response, 200, METRICS_CONTENT_TYPE, await this.metrics.render());
      return send(response, 404, 'application/json', { message: 'not found' });
    } catch (error) {
      this.logger.warn(`health request ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      return send(response, 500, 'application/json', { message: 'internal error' });
    }
  }
}

function send(response: ServerResponse, status: number, type: string, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(text);
}
