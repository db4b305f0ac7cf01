import { INestApplication, ValidationPipe } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '@app/application';
import { DomainErrorFilter } from './common/domain-error.filter';

/**
 * Everything the api needs besides its modules; used by main.ts and by the e2e tests alike.
 */
export function configureApp(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const express = app as NestExpressApplication;
  // The exact bytes are kept for webhook signatures (HMAC over the raw body).
  const keepRawBody = (request: IncomingMessage & { rawBody?: Buffer }, _response: unknown, buffer: Buffer) => {
    request.rawBody = buffer;
  };
  express.useBodyParser('json', { limit: config.httpBodyLimit, verify: keepRawBody });
  express.useBodyParser('urlencoded', { limit: config.httpBodyLimit, extended: false, verify: keepRawBody });
  express.disable('x-powered-by');
  express.set('query parser', 'simple');
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableCors({
    origin: (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) => callback(null, origin === undefined ? false : isAllowedOrigin(origin, config)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['X-Auth-Token', 'Content-Type'],
    maxAge: 600,
  });
  app.enableShutdownHooks();
}

/** CORS only for Kommo account origins (https://{subdomain}.{account domain}) and configured extras. */
export function isAllowedOrigin(origin: string, config: AppConfig): boolean {
  if (config.widget.extraCorsOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.origin !== origin) return false;
  return config.kommo.accountDomains.some((domain) => {
    const suffix = `.${domain}`;
    const subdomain = url.hostname.slice(0, -suffix.length);
    return url.hostname.endsWith(suffix) && /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(subdomain) && subdomain !== 'www';
  });
}
