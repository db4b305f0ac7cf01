import { BadRequestException, Body, Controller, ForbiddenException, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { APP_CONFIG } from '@app/application';
import type { AppConfig } from '@app/application';
import { CallWebhookKind, VoipProvider } from '@app/domain';
import { isValidTwilioSignature, twilioRecordingDedupeKey, twilioStatusDedupeKey } from '@app/voip';
import type { Request } from 'express';
import { ProcessWebhookHandler } from './process-webhook.handler';

type TwilioParams = Record<string, string | string[]>;

/**
 * Twilio's status and recording callbacks (form-encoded POSTs signed with X-Twilio-Signature).
 * Answers 204 once the delivery is in the inbox; duplicates (Twilio retries) get the same answer.
 */
@Controller('voip/twilio/:pathKey')
export class TwilioWebhookController {
  constructor(
    private readonly handler: ProcessWebhookHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('status')
  @HttpCode(204)
  async status(@Param('pathKey') pathKey: string, @Headers('x-twilio-signature') signature: string | undefined, @Req() request: Request, @Body() body: unknown): Promise<void> {
    const { connection, params } = await this.verified(pathKey, signature, request, body);
    const dedupeKey = twilioStatusDedupeKey(params);
    if (!dedupeKey) throw new BadRequestException('A call status callback needs CallSid and CallStatus');
    await this.handler.accept(connection, CallWebhookKind.TwilioCallStatus, dedupeKey, params);
  }

  @Post('recording')
  @HttpCode(204)
  async recording(@Param('pathKey') pathKey: string, @Headers('x-twilio-signature') signature: string | undefined, @Req() request: Request, @Body() body: unknown): Promise<void> {
    const { connection, params } = await this.verified(pathKey, signature, request, body);
    const dedupeKey = twilioRecordingDedupeKey(params);
    if (!dedupeKey) throw new BadRequestException('A recording status callback needs RecordingSid and RecordingStatus');
    await this.handler.accept(connection, CallWebhookKind.TwilioRecordingStatus, dedupeKey, params);
  }

  private async verified(pathKey: string, signature: string | undefined, request: Request, body: unknown) {
    const connection = await this.handler.connectionFor(VoipProvider.Twilio, pathKey);
    if (!request.is('application/x-www-form-urlencoded')) throw new BadRequestException('Twilio callbacks are form-encoded');
    const params = (body && typeof body === 'object' ? body : {}) as TwilioParams;
    // The URL exactly as the admin configured it in Twilio: our public base URL + the path and query we received.
    const publicUrl = `${this.config.publicBaseUrl}${request.originalUrl}`;
    const authToken = connection.credentials.authToken ?? '';
    if (!isValidTwilioSignature({ authToken, signature, publicUrl, params })) {
      throw new ForbiddenException('Invalid X-Twilio-Signature');
    }
    if (params.AccountSid !== connection.credentials.accountSid) throw new ForbiddenException('AccountSid does not belong to this connection');
    return { connection, params };
  }
}
