import { BadRequestException, Body, Controller, ForbiddenException, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CallWebhookKind, VoipProvider } from '@app/domain';
import { checkGenericPbxSignature, PBX_SIGNATURE_HEADER, PBX_TIMESTAMP_HEADER } from '@app/voip';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { GenericPbxEventDto } from './generic-pbx-event.dto';
import { ProcessWebhookHandler } from './process-webhook.handler';
import { rawBodyOf } from './raw-body';
import type { RequestWithRawBody } from './raw-body';

const SIGNATURE_PROBLEMS = {
  missing: 'Missing or malformed X-Pbx-Timestamp / X-Pbx-Signature',
  stale: 'X-Pbx-Timestamp is more than 5 minutes away from our clock',
  mismatch: 'Invalid X-Pbx-Signature',
} as const;

/**
 * The generic PBX contract: JSON events signed with HMAC-SHA256 over `<timestamp>.<raw body>` with the
 * connection's signing secret. Signature first (403), then shape (400), then the inbox (202).
 */
@Controller('voip/pbx/:pathKey')
export class GenericPbxWebhookController {
  constructor(private readonly handler: ProcessWebhookHandler) {}

  @Post('events')
  @HttpCode(202)
  async events(
    @Param('pathKey') pathKey: string,
    @Headers(PBX_TIMESTAMP_HEADER) timestamp: string | undefined,
    @Headers(PBX_SIGNATURE_HEADER) signature: string | undefined,
    @Req() request: RequestWithRawBody,
    @Body() body: unknown,
  ): Promise<{ received: true; duplicate: boolean }> {
    const connection = await this.handler.connectionFor(VoipProvider.GenericPbx, pathKey);
    const problem = checkGenericPbxSignature({
      secret: connection.credentials.signingSecret ?? '',
      timestampHeader: timestamp,
      signatureHeader: signature,
      rawBody: rawBodyOf(request),
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (problem) throw new ForbiddenException(SIGNATURE_PROBLEMS[problem]);
    if (!request.is('application/json') || !body || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException('The body must be one JSON object (Content-Type: application/json)');
    }
    const event = plainToInstance(GenericPbxEventDto, body);
    const errors = await validate(event, { whitelist: true, forbidUnknownValues: true });
    if (errors.length > 0) throw new BadRequestException(errors.flatMap((error) => Object.values(error.constraints ?? {})));
    const result = await this.handler.accept(connection, CallWebhookKind.PbxEvent, event.event_id, { ...event });
    return { received: true, duplicate: result.duplicate };
  }
}
