import { AccountSettingsRepository } from '../../../account-settings/account-settings';
import { VoipProvider } from '../../../account-settings/voip-connection';
import { Call } from '../../../call/call';
import { CallVersionConflictError } from '../../../call/call.errors';
import { CallDirection } from '../../../call/call-event';
import { E164 } from '../../../call/e164';
import { CallRepository } from '../../../call/port/call.repository.port';
import { IncomingLeads } from '../../../call/port/incoming-leads.port';
import { InboundRoute } from '../../../call-routing/inbound-route';
import { KommoAccountRepository } from '../../../kommo-authentication/kommo-account.repository.port';
import { Clock } from '../../../shared/clock.port';
import { SecureRandom } from '../../../shared/secure-random.port';
import { CallerDirectory, CallerMatch } from '../../caller';
import { KommoCallNotifications, LiveCallContexts, LiveCallEvents, liveCallerView } from '../../live-call-event';

export interface AnnounceRingingCallCommand {
  readonly accountId: number;
  readonly provider: VoipProvider;
  readonly connectionId: string;
  /** The provider's id of the inbound call (Twilio CallSid of the parent leg). */
  readonly providerCallId: string;
  readonly phone: E164 | null;
  /** What the Voice URL decided (and rang). */
  readonly route: InboundRoute;
}

export interface AnnounceRingingCallOptions {
  /** When the routing lookup ran out of time, the popup waits this long more for the caller's name. */
  readonly lookupBudgetMs: number;
  readonly conflictAttempts: number;
}

export interface AnnounceRingingCallResult {
  readonly callId: string;
  readonly notifiedUserIds: readonly number[];
}

/**
 * Caller ID: an inbound call is ringing the managers the route chose; each of them gets one popup (the caller's
 * name, card link and active lead, or "create contact" and the pending incoming lead), and optionally Kommo's own
 * call notification (once per call and manager, like the popup). The Call exists from this moment, so the popup's call id is the one the pipeline logs with.
 */
export class AnnounceRingingCallUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly random: SecureRandom,
    private readonly accounts: KommoAccountRepository,
    private readonly settings: AccountSettingsRepository,
    private readonly callers: CallerDirectory,
    private readonly incomingLeads: IncomingLeads,
    private readonly contexts: LiveCallContexts,
    private readonly live: LiveCallEvents,
    private readonly kommoNotifications: KommoCallNotifications,
    private readonly clock: Clock,
    private readonly options: AnnounceRingingCallOptions = { lookupBudgetMs: 3000, conflictAttempts: 5 },
  ) {}

  async execute(command: AnnounceRingingCallCommand): Promise<AnnounceRingingCallResult> {
    const userIds = [...new Set(command.route.targets.map((target) => target.userId))];
    const settings = await this.settings.find(command.accountId);
    const result = await this.announce(command, userIds);
    // Kommo's notification goes to the managers who got the popup now: a retried Voice URL notifies nobody twice.
    if (settings?.kommoCallNotifications === true && command.phone !== null && result.notifiedUserIds.length > 0) {
      await this.kommoNotifications.notifyIncomingCall(command.accountId, command.phone, result.notifiedUserIds);
    }
    return result;
  }

  private async announce(command: AnnounceRingingCallCommand, userIds: number[]): Promise<AnnounceRingingCallResult> {
    const { accountId, phone, route } = command;
    const call = await this.ensureCall(command);
    const account = await this.accounts.findById(accountId);
    if (!account) return { callId: call.id, notifiedUserIds: [] };
    const match = route.caller ?? (phone !== null && route.lookup !== 'not_found' ? await this.lookUp(accountId, phone) : null);
    const pending = match === null && phone !== null ? await this.incomingLeads.findPendingForNumber(accountId, phone).catch(() => null) : null;
    const caller = liveCallerView(
      account.host,
      phone,
      match,
      pending ? { uid: pending.unsortedUid, url: `https://${account.host}/leads/detail/${pending.leadId}` } : null,
    );
    const context = { callId: call.id, providerCallId: command.providerCallId, direction: CallDirection.Inbound, phone, caller, ringTargets: userIds };
    await this.contexts.save(accountId, context);
    const notifiedUserIds = await this.live.publishOnce(accountId, userIds, {
      callId: call.id,
      providerCallId: command.providerCallId,
      phase: 'ringing',
      direction: 'inbound',
      phone,
      caller,
      managerUserId: userIds.length === 1 ? userIds[0] : null,
      durationSeconds: null,
      at: this.clock.now().toISOString(),
    });
    return { callId: call.id, notifiedUserIds };
  }

  /** The call by its provider id, created now if the pipeline has not seen it yet (same id for both). */
  private async ensureCall(command: AnnounceRingingCallCommand): Promise<Call> {
    for (let attempt = 1; ; attempt += 1) {
      const found = await this.calls.findByProviderCallId(command.accountId, command.provider, command.providerCallId);
      if (found) return found;
      const call = Call.start({
        id: this.random.token(16),
        accountId: command.accountId,
        provider: command.provider,
        providerCallId: command.providerCallId,
        connectionId: command.connectionId,
      });
      try {
        await this.calls.save(call);
        return call;
      } catch (error) {
        if (!(error instanceof CallVersionConflictError) || attempt >= this.options.conflictAttempts) throw error;
      }
    }
  }

  private async lookUp(accountId: number, phone: E164): Promise<CallerMatch | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const budget = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.options.lookupBudgetMs);
    });
    try {
      return await Promise.race([this.callers.findByPhone(accountId, phone).catch(() => null), budget]);
    } finally {
      clearTimeout(timer);
    }
  }
}
