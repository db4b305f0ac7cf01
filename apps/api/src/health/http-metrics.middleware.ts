import { Injectable, NestMiddleware } from '@nestjs/common';
import { AppMetrics } from '@app/application';
import type { NextFunction, Request, Response } from 'express';

/**
 * Times every request until the response is finished: all routes (by route pattern, never the raw URL, so
 * webhook path keys stay out of labels) and, for provider webhooks, the ack latency the provider sees.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: AppMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const startedAt = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const route = routeOf(request);
      const status = String(response.statusCode);
      this.metrics.httpDuration.observe({ method: request.method, route, status }, seconds);
      const provider = webhookProvider(request.originalUrl ?? request.url);
      if (provider) this.metrics.webhookAck.observe({ provider, status }, seconds);
    });
    next();
  }
}

/** The matched route pattern (`/voip/twilio/:key/status`), or `unmatched` (404s must not create labels). */
export function routeOf(request: Pick<Request, 'route' | 'baseUrl'>): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : 'unmatched';
}

/** `twilio` for /voip/twilio/…, `pbx` for /voip/pbx/…; null for anything else. */
export function webhookProvider(url: string): string | null {
  const match = /^\/voip\/([a-z0-9-]{1,32})\//.exec(url);
  return match ? match[1] : null;
}
