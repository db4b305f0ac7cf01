import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { GatewayRequest, KommoGatewayMiddleware } from './gateway/kommo-gateway.middleware';
import { KommoExceptionFilter, writeProblem } from './http/kommo-exception.filter';
import { problem } from './http/problem';
import { resolveOptions, SandboxOptions } from './sandbox-options';
import { SandboxModule } from './sandbox.module';

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly app: NestExpressApplication;
  close(): Promise<void>;
}

/** Starts the Kommo sandbox on its own port (0 = any free port). */
export async function startKommoSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const resolved = resolveOptions(options);
  const app = await NestFactory.create<NestExpressApplication>(SandboxModule.register(resolved), {
    bodyParser: false,
    logger: options.logger,
  });
  app.set('query parser', 'extended');
  app.set('etag', false);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '10mb', type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: true });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!error) {
      next();
      return;
    }
    writeProblem(res, 400, problem(400, 'Request body is not valid JSON'));
  });
  const gateway = app.get(KommoGatewayMiddleware);
  app.use((req: GatewayRequest, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/') || req.path.startsWith('/oauth2/')) gateway.use(req, res, next);
    else next();
  });
  app.useGlobalFilters(new KommoExceptionFilter());
  await app.listen(options.port, options.host ?? '127.0.0.1');
  const server: Server = app.getHttpServer();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  return {
    url,
    app,
    async close() {
      server.closeAllConnections(); // hung requests (fault kind "hang") included
      await app.close();
    },
  };
}
