import { BadRequestException, Body, Controller, Header, Headers, HttpCode, Inject, Logger, Param, Post, Query, Req } from '@nestjs/common';
import { AccountPhoneCountries, ACCOUNT_SETTINGS_REPOSITORY, APP_CONFIG } from '@app/application';
import type { AppConfig } from '@app/application';
import { CallWebhookKind, VoipConnection, VoipProvider } from '@app/domain';
import type { AccountSettingsRepository } from '@app/domain';
import { dialableNumber, hangupTwiml, outboundDialTwiml, refusedCallTwiml, voipWebhookUrls } from '@app/voip';
import type { Request } from 'express';
import { ProcessWebhookHandler } from './process-webhook.handler';
import { TwilioParams, TwilioRequestVerifier } from './twilio-request-verifier';

/** Seconds the customer's phone rings before the manager's call ends as "not available". */
const CUSTOMER_RING_SECONDS = 40;

/**
 * Managers' outgoing Twilio calls:
 * - `outbound`: the Voice URL of the account's TwiML App, requested when the browser softphone places a call
 *   (`From=client:<identity>`, `To` = the number the widget passed). The request is stored like a voice
 *   request, so the call is logged as call_out for that manager; the answer dials the customer with the
 *   connection's caller ID.
 * - `outbound-bridge?to=`: the manager answered a click-to-call (callback mode): dial the customer.
 * - `outbound/dial-ended`: the customer's leg ended; the manager's leg ends too (and is recorded as ended).
 */
@Controller('voip/twilio/:pathKey')
export class TwilioOutboundController {
  private readonly logger = new Logger('TwilioOutbound');

  constructor(
    private readonly verifier: TwilioRequestVerifier,
    private readonly handler: ProcessWebhookHandler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ACCOUNT_SETTINGS_REPOSITORY) private readonly settings: AccountSettingsRepository,
    private readonly phoneCountries: AccountPhoneCountries,
  ) {}

  @Post('outbound')
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async outbound(@Param('pathKey') pathKey: string, @Headers('x-twilio-signature') signature: string | undefined, @Req() request: Request, @Body() body: unknown): Promise<string> {
    const { connection, params } = await this.verifier.verify(pathKey, signature, request, body);
    const callSid = this.callSidOf(params);
    if (!text(params.From).toLowerCase().startsWith('client:')) return refusedCallTwiml('This application only places calls from the Kommo softphone.');
    const to = dialableNumber(text(params.To), await this.phoneCountries.countryOf(connection.accountId));
    // Stored whatever the outcome: the manager's leg exists even when the number was refused.
    await this.store(connection, `${callSid}:outbound`, { ...params, To: to.ok ? to.e164 : text(params.To), CallStatus: text(params.CallStatus) || 'ringing' });
    if (!to.ok) return refusedCallTwiml(`The number cannot be dialled. ${to.reason}.`);
    return this.dial(connection, to.e164);
  }

  @Post('outbound-bridge')
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async bridge(
    @Param('pathKey') pathKey: string,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Req() request: Request,
    @Body() body: unknown,
    @Query('to') rawTo: unknown,
  ): Promise<string> {
    const { connection, params } = await this.verifier.verify(pathKey, signature, request, body);
    this.callSidOf(params);
    const to = dialableNumber(typeof rawTo === 'string' ? rawTo : '', await this.phoneCountries.countryOf(connection.accountId));
    if (!to.ok) return refusedCallTwiml(`The number cannot be dialled. ${to.reason}.`);
    return this.dial(connection, to.e164);
  }

  @Post('outbound/dial-ended')
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async dialEnded(@Param('pathKey') pathKey: string, @Headers('x-twilio-signature') signature: string | undefined, @Req() request: Request, @Body() body: unknown): Promise<string> {
    const { connection, params } = await this.verifier.verify(pathKey, signature, request, body);
    const callSid = this.callSidOf(params);
    // After <Hangup/> the manager's leg is over; its own status callback (if the TwiML App has one) may never come.
    await this.store(connection, `${callSid}:outbound-ended`, { ...params, CallStatus: 'completed' });
    return hangupTwiml();
  }

  private async dial(connection: VoipConnection, to: string): Promise<string> {
    const callerId = connection.credentials.callerId;
    if (!callerId) return refusedCallTwiml('The caller ID of this account is not configured. Ask your administrator.');
    const urls = voipWebhookUrls(VoipProvider.Twilio, this.config.publicBaseUrl, connection.pathKey);
    const settings = await this.settings.find(connection.accountId);
    return outboundDialTwiml({
      to,
      callerId,
      statusCallbackUrl: urls.statusCallbackUrl,
      recordingStatusCallbackUrl: urls.recordingStatusCallbackUrl,
      dialEndedUrl: `${urls.twimlAppVoiceUrl}/dial-ended`,
      record: settings?.recordingEnabled ?? true,
      ringSeconds: CUSTOMER_RING_SECONDS,
    });
  }

  private callSidOf(params: TwilioParams): string {
    const callSid = text(params.CallSid);
    if (!/^CA[0-9a-fA-F]{32}$/.test(callSid)) throw new BadRequestException('A Twilio voice request needs a CallSid');
    return callSid;
  }

  private async store(connection: VoipConnection, dedupeKey: string, payload: Record<string, unknown>): Promise<void> {
    await this.handler
      .accept(connection, CallWebhookKind.TwilioCallStatus, dedupeKey, payload)
      .catch((error: unknown) => this.logger.warn(`${dedupeKey} not stored: ${error instanceof Error ? error.message : String(error)}`));
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
