import { Call } from '../../../call/call';
import { CallDirection, CallState, isTerminal } from '../../../call/call-event';
import { CallRepository } from '../../../call/port/call.repository.port';
import { KommoAccountRepository } from '../../../kommo-authentication/kommo-account.repository.port';
import { Clock } from '../../../shared/clock.port';
import { CallerDirectory } from '../../caller';
import { LiveCallContext, LiveCallContexts, LiveCallEvent, LiveCallEvents, liveCallerView, LiveCallPhase } from '../../live-call-event';
import { IdentityUsers } from '../../port/identity-users.port';

export interface PublishCallProgressResult {
  /** Phase → users it was sent to by this run (duplicates already sent are not listed). */
  readonly sent: Partial<Record<LiveCallPhase, readonly number[]>>;
}

/**
 * After a call event was saved: the manager who answered gets `answered` (the widget may open the active lead),
 * and when that call is over `ended` (the widget opens the call-result modal). A call that rings a PBX extension
 * without passing our Voice URL gets its `ringing` here. Each phase reaches a manager once per call.
 */
export class PublishCallProgressUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly accounts: KommoAccountRepository,
    private readonly contexts: LiveCallContexts,
    private readonly identities: IdentityUsers,
    private readonly callers: CallerDirectory,
    private readonly live: LiveCallEvents,
    private readonly clock: Clock,
  ) {}

  async execute(command: { accountId: number; callId: string }): Promise<PublishCallProgressResult> {
    const call = await this.calls.findById(command.accountId, command.callId);
    if (!call || call.state === null) return { sent: {} };
    const context = await this.contexts.find(command.accountId, call.id);
    const manager = await this.identities.userIdOf(command.accountId, agentIdentitiesOf(call), call.id);
    const answered = call.isAnswered || call.state === CallState.Answered;
    const phases: { phase: LiveCallPhase; userIds: number[] }[] = [];
    if (!context && call.state === CallState.Ringing && call.direction === CallDirection.Inbound && manager !== null) {
      phases.push({ phase: 'ringing', userIds: [manager] });
    }
    const handler = manager ?? (context && context.ringTargets.length === 1 ? context.ringTargets[0] : null);
    if (answered && handler !== null) {
      phases.push({ phase: 'answered', userIds: [handler] });
      if (call.isEnded && answeredLegsOver(call)) phases.push({ phase: 'ended', userIds: [handler] });
    }
    if (phases.length === 0) return { sent: {} };

    const base = context ?? (await this.contextOf(call));
    if (!base) return { sent: {} };
    const sent: Partial<Record<LiveCallPhase, readonly number[]>> = {};
    for (const { phase, userIds } of phases) {
      const event: LiveCallEvent = {
        callId: call.id,
        providerCallId: base.providerCallId,
        phase,
        direction: base.direction === CallDirection.Outbound ? 'outbound' : 'inbound',
        phone: base.phone,
        caller: base.caller,
        managerUserId: phase === 'ringing' ? userIds[0] : handler,
        durationSeconds: phase === 'ended' ? call.durationSeconds : null,
        at: this.clock.now().toISOString(),
      };
      sent[phase] = await this.live.publishOnce(command.accountId, userIds, event);
    }
    return { sent };
  }

  /** A call the Voice URL did not announce (outbound, PBX): the caller is looked up now (cached, best effort). */
  private async contextOf(call: Call): Promise<LiveCallContext | null> {
    const account = await this.accounts.findById(call.accountId);
    if (!account) return null;
    const phone = call.customerNumber;
    const match = phone ? await this.callers.findByPhone(call.accountId, phone).catch(() => null) : null;
    return {
      callId: call.id,
      providerCallId: call.rootProviderCallId,
      direction: call.direction ?? CallDirection.Inbound,
      phone,
      caller: liveCallerView(account.host, phone, match),
      ringTargets: [],
    };
  }
}

/** Every answered agent leg reported its end too (its talk time is known): the duration the modal shows is final. */
function answeredLegsOver(call: Call): boolean {
  return answeredChildLegs(call).every((leg) => leg.endedAt !== null || leg.states.some(isTerminal));
}

function answeredChildLegs(call: Call): Call['legs'][number][] {
  const rootId = call.rootProviderCallId;
  return call.legs.filter((leg) => leg.providerCallId !== rootId && (leg.answeredAt !== null || leg.states.includes(CallState.Answered)));
}

/**
 * What the legs say about the manager's side: the agent identity (client / SIP user / extension), then the numbers
 * of answered child legs (a manager's mobile rung by `<Dial><Number>`).
 */
function agentIdentitiesOf(call: Call): string[] {
  const answeredChildren = answeredChildLegs(call);
  const identities = [call.agentExtension, ...answeredChildren.map((leg) => leg.agentExtension), ...answeredChildren.flatMap((leg) => [leg.callee, leg.caller])];
  return [...new Set(identities.filter((identity): identity is NonNullable<typeof identity> => identity !== null))];
}
