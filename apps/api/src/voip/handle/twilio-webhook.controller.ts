import { BadRequestException, Body, Controller, ForbiddenException, Header, Headers, HttpCode, Inject, Logger, Param, Post, Req } from '@nestjs/common';
import { AccountPhoneCountries, APP_CONFIG } from '@app/application';
import type { AppConfig } from '@app/application';
import { AnnounceRingingCallUseCase, CallWebhookKind, RouteInboundCallUseCase, VoipProvider } from '@app/domain';
import {
  classifyPhoneParty,
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
    private readonly routeInboundCall: RouteInboundCallUseCase,
    private readonly announceRingingCall: AnnounceRingingCallUseCase,
    private readonly phoneCountries: AccountPhoneCountries,
  ) {}

  /**
   * "A call comes in": Twilio waits for TwiML; we answer within 2 s whatever Kommo does. The call's first sight goes
   * to the inbox like any status; smart forwarding rings the caller's responsible manager (Kommo lookup within
   * SMART_FORWARDING_LOOKUP_BUDGET_MS), else the ring group, else voicemail. The ringing managers' widgets get the
   * caller ID popup (and Kommo its call notification) after the answer, off this path.
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
    const from = classifyPhoneParty(typeof params.From === 'string' ? params.From : null, await this.phoneCountries.countryOf(connection.accountId));
    const caller = from.kind === 'pstn' ? from.e164 : null;
    const route = await this.routeInboundCall.execute({ accountId: connection.accountId, caller });
    if (route.lookup === 'timeout' || route.lookup === 'error') {
      this.logger.warn(`smart forwarding of ${callSid}: Kommo lookup ${route.lookup === 'timeout' ? 'over budget' : 'failed'}, ringing the ${route.reason === 'voicemail' ? 'voicemail' : 'ring group'}`);
    }
    if (from.kind !== 'internal') {
      // Not awaited: the popup and Kommo's notification never delay the TwiML.
      this.announceRingingCall
        .execute({ accountId: connection.accountId, provider: VoipProvider.Twilio, connectionId: connection.id, providerCallId: callSid, phone: caller, route })
        .catch((error: unknown) => this.logger.warn(`caller ID of ${callSid} not announced: ${error instanceof Error ? error.message : String(error)}`));
    }
    const urls = this.urlsOf(connection.pathKey);
    return defaultRouteTwiml({
      targets: route.targets.map((target) => target.identity),
      statusCallbackUrl: urls.statusCallbackUrl,
      recordingStatusCallbackUrl: urls.recordingStatusCallbackUrl,
      dialEndedUrl: `${urls.voiceUrl}/dial-ended`,
      record: route.recordingEnabled,
      ringSeconds: route.ringSeconds,
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
