import { BadRequestException, Body, Controller, ForbiddenException, Header, Headers, HttpCode, Inject, Logger, Param, Post, Req } from '@nestjs/common';
import { ACCOUNT_SETTINGS_REPOSITORY, APP_CONFIG, EXTENSION_DIRECTORY } from '@app/application';
import type { AppConfig } from '@app/application';
import { CallWebhookKind, VoipProvider } from '@app/domain';
import type { AccountSettingsRepository } from '@app/domain';
import type { TypeOrmExtensionDirectory } from '@app/persistence';
import {
  defaultRouteTwiml,
  dialEndedTwiml,
  isValidTwilioSignature,
  twilioRecordingDedupeKey,
  twilioStatusDedupeKey,
  voipWebhookUrls,
} from '@app/voip';
import type { Request } from 'express';
import { ProcessWebhookHandler } from './process-webhook.handler';

type TwilioParams = Record<string, string | string[]>;

/**
 * Twilio's status and recording callbacks (form-encoded POSTs signed with X-Twilio-Signature).
 * Answers 204 once the delivery is in the inbox; duplicates (Twilio retries) get the same answer.
 */
@Controller('voip/twilio/:pathKey')
export class TwilioWebhookController {
  private readonly logger = new Logger('TwilioVoice');

  constructor(
    private readonly handler: ProcessWebhookHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EXTENSION_DIRECTORY) private readonly extensions: TypeOrmExtensionDirectory,
    @Inject(ACCOUNT_SETTINGS_REPOSITORY) private readonly settings: AccountSettingsRepository,
  ) {}

  /**
   * "A call comes in": Twilio waits for TwiML (15 s at most; we answer from PostgreSQL only, no Kommo call).
   * The call's first sight goes to the inbox like any status; the answer rings the mapped managers.
   */
  @Post('voice')
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async voice(@Param('pathKey') pathKey: string, @Headers('x-twilio-signature') signature: string | undefined, @Req() request: Request, @Body() body: unknown): Promise<string> {
    const { connection, params } = await this.verified(pathKey, signature, request, body);
    const callSid = typeof params.CallSid === 'string' ? params.CallSid : '';
    if (!/^CA[0-9a-fA-F]{32}$/.test(callSid)) throw new BadRequestException('A voice request needs a CallSid');
    await this.handler
      .accept(connection, CallWebhookKind.TwilioCallStatus, `${callSid}:voice`, { ...params, CallStatus: params.CallStatus ?? 'ringing' })
      .catch((error: unknown) => this.logger.warn(`voice request of ${callSid} not stored: ${error instanceof Error ? error.message : String(error)}`));
    const [mapped, settings] = await Promise.all([this.extensions.listForAccount(connection.accountId), this.settings.find(connection.accountId)]);
    const urls = this.urlsOf(connection.pathKey);
    return defaultRouteTwiml({
      targets: mapped.map((entry) => entry.extension),
      statusCallbackUrl: urls.statusCallbackUrl,
      recordingStatusCallbackUrl: urls.recordingStatusCallbackUrl,
      dialEndedUrl: `${urls.voiceUrl}/dial-ended`,
      record: settings?.recordingEnabled ?? true,
      ringSeconds: 25,
    });
  }

  /** The `<Dial>` ended: hang up after a conversation, otherwise voicemail. */
  @Post('voice/dial-ended')
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async dialEnded(@Param('pathKey') pathKey: string, @Headers('x-twilio-signature') signature: string | undefined, @Req() request: Request, @Body() body: unknown): Promise<string> {
    const { connection, params } = await this.verified(pathKey, signature, request, body);
    const status = typeof params.DialCallStatus === 'string' ? params.DialCallStatus : undefined;
    return dialEndedTwiml(status, this.urlsOf(connection.pathKey).recordingStatusCallbackUrl);
  }

  private urlsOf(pathKey: string): Record<string, string> {
    return voipWebhookUrls(VoipProvider.Twilio, this.config.publicBaseUrl, pathKey);
  }

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
