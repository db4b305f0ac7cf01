import { BadRequestException, Body, Controller, ForbiddenException, HttpCode, Logger, NotFoundException, Optional, Param, Post, Req } from '@nestjs/common';
import { AppMetrics } from '@app/application';
import { CallWebhookKind, VoipConnection, VoipProvider } from '@app/domain';
import { checkZenviaCallPayload } from '@app/voip';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ProcessWebhookHandler } from './process-webhook.handler';
import { rawBodyOf } from './raw-body';
import type { RequestWithRawBody } from './raw-body';

/**
 * Zenvia Voice webhooks (voip.md §3): `status_tempo_real` and `chamada_fim` both POST the call object as JSON to
 * `POST /voip/zenvia/<secret>/webhook`. Zenvia signs nothing, so the secret in the path is the only proof:
 * an unknown or wrong secret is 403 (compared in constant time), nothing stored. A call object with a status
 * the docs do not list is stored raw (kind zenvia.unrecognised), logged and counted — never interpreted.
 */
@Controller('voip/zenvia/:pathKey')
export class ZenviaWebhookController {
  private readonly logger = new Logger('ZenviaWebhook');

  constructor(
    private readonly handler: ProcessWebhookHandler,
    @Optional() private readonly metrics?: AppMetrics,
  ) {}

  @Post('webhook')
  @HttpCode(200)
  async webhook(@Param('pathKey') pathKey: string, @Req() request: RequestWithRawBody, @Body() body: unknown): Promise<{ received: true; recognised: boolean; duplicate: boolean }> {
    const connection = await this.connectionOf(pathKey);
    if (!(request as Request).is('application/json') || !body || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException('The body must be one JSON object (Content-Type: application/json)');
    }
    const check = checkZenviaCallPayload(body);
    if (!check.ok && check.reason === 'malformed') throw new BadRequestException(`Not a Zenvia call object: ${check.detail}`);
    if (!check.ok) {
      const key = `unrecognised:${check.dedupeKey ?? createHash('sha256').update(rawBodyOf(request)).digest('hex')}`;
      const result = await this.handler.accept(connection, CallWebhookKind.ZenviaUnrecognised, key, body as Record<string, unknown>);
      if (!result.duplicate) this.metrics?.webhooksUnrecognised.inc({ provider: connection.provider });
      this.logger.warn(`Zenvia delivery for connection ${connection.id} kept raw, not interpreted: ${check.detail} (inbox ${result.inboxId})`);
      return { received: true, recognised: false, duplicate: result.duplicate };
    }
    const result = await this.handler.accept(connection, CallWebhookKind.ZenviaCall, check.dedupeKey, body as Record<string, unknown>);
    return { received: true, recognised: true, duplicate: result.duplicate };
  }

  private async connectionOf(pathKey: string): Promise<VoipConnection> {
    let connection: VoipConnection;
    try {
      connection = await this.handler.connectionFor(VoipProvider.Zenvia, pathKey);
    } catch (error) {
      if (error instanceof NotFoundException) throw new ForbiddenException('Unknown or wrong webhook secret');
      throw error;
    }
    // Found by the key's hash; compared once more in constant time before anything is stored.
    const expected = createHash('sha256').update(connection.pathKey).digest();
    const given = createHash('sha256').update(pathKey).digest();
    if (!timingSafeEqual(expected, given)) throw new ForbiddenException('Unknown or wrong webhook secret');
    return connection;
  }
}
