import { BadRequestException, Body, Controller, ForbiddenException, Headers, HttpCode, Inject, Logger, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { CALL_HISTORY_QUEUE_TOKEN, CallHistoryJob, PROVIDER_STATE_REPOSITORY, APP_CONFIG } from '@app/application';
import type { AppConfig, CallHistoryQueue } from '@app/application';
import { CallWebhookKind, VoipProvider } from '@app/domain';
import type { ProviderSubscriptionRepository } from '@app/domain';
import { isValidRingCentralVerificationToken } from '@app/voip';
import type { Response } from 'express';
import { ProcessWebhookHandler } from './process-webhook.handler';

const TOKEN_CACHE_MS = 5_000;
const PARTY_ENDED = new Set(['Disconnected', 'Gone']);

/**
 * RingCentral webhooks (voip.md §2.2): `POST /voip/ringcentral/<pathKey>/webhook`.
 * - Validation handshake on subscription creation (`Validation-Token` header, empty body): answered at once with
 *   the token echoed, touching neither the database nor the queue, so it stays far inside RingCentral's 3 s
 *   under any load. It stores nothing.
 * - Deliveries: the connection from the path key (404), then the subscription's verification token
 *   (`Verification-Token`; also read from `Validation-Token`, which a RingCentral page mislabels) compared in
 *   constant time (403, nothing stored), then shape (400), then the inbox under the envelope `uuid` (200).
 *   A party that ended schedules the recording look-up in the call log.
 */
@Controller('voip/ringcentral/:pathKey')
export class RingCentralWebhookController {
  private readonly logger = new Logger('RingCentralWebhook');
  private readonly tokens = new Map<string, { token: string | null; until: number }>();

  constructor(
    private readonly handler: ProcessWebhookHandler,
    @Inject(PROVIDER_STATE_REPOSITORY) private readonly subscriptions: ProviderSubscriptionRepository,
    @Inject(CALL_HISTORY_QUEUE_TOKEN) private readonly queue: CallHistoryQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('webhook')
  @HttpCode(200)
  async webhook(
    @Param('pathKey') pathKey: string,
    @Headers('validation-token') validationToken: string | undefined,
    @Headers('verification-token') verificationToken: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const envelope = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    const isHandshake = validationToken !== undefined && (!envelope || Object.keys(envelope).length === 0);
    if (isHandshake) {
      if (!/^[A-Za-z0-9_-]{16,128}$/.test(pathKey)) throw new NotFoundException('Unknown webhook URL');
      if (!/^[\x21-\x7e]{1,512}$/.test(validationToken)) throw new BadRequestException('Malformed Validation-Token');
      response.setHeader('Validation-Token', validationToken);
      response.setHeader('Content-Type', 'application/json');
      return;
    }
    const connection = await this.handler.connectionFor(VoipProvider.RingCentral, pathKey);
    const given = verificationToken ?? validationToken;
    if (!(await this.verified(connection.id, given))) throw new ForbiddenException('Missing or wrong Verification-Token');
    const payload = envelope?.body && typeof envelope.body === 'object' ? (envelope.body as Record<string, unknown>) : null;
    const uuid = typeof envelope?.uuid === 'string' && /^[\w.:-]{1,200}$/.test(envelope.uuid) ? envelope.uuid : null;
    if (!envelope || !uuid || !payload) throw new BadRequestException('A RingCentral notification needs uuid and body');
    const sessionId = typeof payload.telephonySessionId === 'string' ? payload.telephonySessionId : null;
    if (!sessionId) {
      // Not a telephony-session event (e.g. a subscription reminder): acknowledged, nothing to log.
      this.logger.log(`ignored a ${typeof envelope.event === 'string' ? envelope.event : 'non-telephony'} notification for connection ${connection.id}`);
      return;
    }
    await this.handler.accept(connection, CallWebhookKind.RingCentralTelephonySession, uuid, envelope);
    const parties = Array.isArray(payload.parties) ? (payload.parties as { status?: { code?: unknown } }[]) : [];
    if (parties.some((party) => PARTY_ENDED.has(String(party?.status?.code)))) this.scheduleRecordingLookup(connection.accountId, connection.id, sessionId);
  }

  /** The call log shows the recording some time after the call: look then, and again with back-off. */
  private scheduleRecordingLookup(accountId: number, connectionId: string, telephonySessionId: string): void {
    void this.queue
      .add(
        CallHistoryJob.RingCentralRecording,
        { accountId, connectionId, telephonySessionId, endedAt: new Date().toISOString() },
        {
          jobId: `rc-recording:${connectionId}:${telephonySessionId}`,
          delay: this.config.providers.ringCentralRecordingDelaySeconds * 1000,
          attempts: 6,
          backoff: { type: 'exponential', delay: 60_000 },
          removeOnComplete: true,
          removeOnFail: 100,
        },
      )
      .catch((error: unknown) => this.logger.warn(`recording look-up for ${telephonySessionId} not scheduled (the periodic import will find it): ${String(error)}`));
  }

  /** Cached per process like the connection; a mismatch re-reads once (the token changes when it is re-created). */
  private async verified(connectionId: string, given: string | undefined): Promise<boolean> {
    if (!given) return false;
    const cached = this.tokens.get(connectionId);
    if (cached && cached.until > Date.now() && isValidRingCentralVerificationToken(cached.token, given)) return true;
    const token = (await this.subscriptions.find(connectionId))?.verificationToken ?? null;
    if (this.tokens.size > 10_000) this.tokens.clear();
    this.tokens.set(connectionId, { token, until: Date.now() + TOKEN_CACHE_MS });
    return isValidRingCentralVerificationToken(token, given);
  }
}
