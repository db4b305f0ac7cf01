import { aCallEvent, answeredCallEvents, at, CUSTOMER, FixedClock, InMemoryCallRepository } from '../../../../test/fakes';
import { VoipProvider } from '../../../account-settings/voip-connection';
import { Call } from '../../../call/call';
import { CallEvent, CallState } from '../../../call/call-event';
import { KommoAccount } from '../../../kommo-authentication/kommo-account';
import { KommoAccountRepository } from '../../../kommo-authentication/kommo-account.repository.port';
import { CallerDirectory, CallerMatch } from '../../caller';
import { LiveCallContext, LiveCallContexts, LiveCallEvent, LiveCallEvents, liveCallerView } from '../../live-call-event';
import { IdentityUsers } from '../../port/identity-users.port';
import { PublishCallProgressUseCase } from './publish-call-progress.use-case';

class RecordingLiveEvents implements LiveCallEvents {
  readonly sent: { userId: number; event: LiveCallEvent }[] = [];
  private readonly keys = new Set<string>();
  async publishOnce(_accountId: number, userIds: readonly number[], event: LiveCallEvent): Promise<number[]> {
    const fresh = userIds.filter((userId) => !this.keys.has(`${event.callId}:${event.phase}:${userId}`));
    for (const userId of fresh) {
      this.keys.add(`${event.callId}:${event.phase}:${userId}`);
      this.sent.push({ userId, event });
    }
    return fresh;
  }
}

class MapContexts implements LiveCallContexts {
  readonly rows = new Map<string, LiveCallContext>();
  async save(_accountId: number, context: LiveCallContext): Promise<void> {
    this.rows.set(context.callId, context);
  }
  async find(_accountId: number, callId: string): Promise<LiveCallContext | null> {
    return this.rows.get(callId) ?? null;
  }
}

const ACCOUNTS = { findById: async () => ({ host: 'demo.kommo.com' }) as unknown as KommoAccount } as unknown as KommoAccountRepository;
const IDENTITIES: IdentityUsers = {
  userIdOf: async (_accountId, identities) => (identities.includes('101') ? 7 : identities.includes('alice') ? 8 : null),
};
const JOHN: CallerMatch = { name: 'John', entity: { type: 'contact', id: 5, name: 'John' }, activeLead: null, responsibleUserId: 7 };
const CALLERS: CallerDirectory = { findByPhone: async () => JOHN };

describe('PublishCallProgressUseCase', () => {
  let calls: InMemoryCallRepository;
  let live: RecordingLiveEvents;
  let contexts: MapContexts;
  let sut: PublishCallProgressUseCase;

  beforeEach(() => {
    calls = new InMemoryCallRepository();
    live = new RecordingLiveEvents();
    contexts = new MapContexts();
    sut = new PublishCallProgressUseCase(calls, ACCOUNTS, contexts, IDENTITIES, CALLERS, live, new FixedClock());
  });

  const save = async (events: CallEvent[], id = 'call-1') => {
    const call = (await calls.findById(42, id)) ?? Call.start({ id, accountId: 42, provider: VoipProvider.Twilio, providerCallId: events[0].providerCallId });
    for (const event of events) call.apply(event);
    await calls.save(call);
    return sut.execute({ accountId: 42, callId: id });
  };

  it('a PBX call: ringing to the extension\'s manager, then answered and ended (with the talk time), each once', async () => {
    const [ringing, answered, completed] = answeredCallEvents('CA-1', { agentExtension: '101' });
    expect((await save([ringing])).sent).toEqual({ ringing: [7] });
    expect((await save([answered])).sent).toEqual({ answered: [7] });
    expect((await save([completed])).sent).toEqual({ answered: [], ended: [7] });
    expect((await sut.execute({ accountId: 42, callId: 'call-1' })).sent).toEqual({ answered: [], ended: [] });
    expect(live.sent.map(({ event }) => event.phase)).toEqual(['ringing', 'answered', 'ended']);
    expect(live.sent[2].event).toMatchObject({ callId: 'call-1', providerCallId: 'CA-1', durationSeconds: 60, managerUserId: 7, phone: CUSTOMER, caller: { name: 'John', unknown: false } });
  });

  it('a Voice URL call: the ringing context is reused; answered goes to who answered, ended waits for that leg\'s end', async () => {
    const caller = liveCallerView('demo.kommo.com', CUSTOMER, JOHN);
    await contexts.save(42, { callId: 'call-1', providerCallId: 'CA-P', direction: 'inbound' as never, phone: CUSTOMER, caller, ringTargets: [7, 8] });
    const child = { providerCallId: 'CA-C', parentProviderCallId: 'CA-P', direction: null, agentExtension: 'alice' };
    await save([aCallEvent({ providerCallId: 'CA-P', state: CallState.Ringing, occurredAt: at(0) })]);
    expect((await save([aCallEvent({ ...child, state: CallState.Answered, occurredAt: at(3), answeredAt: at(3) })])).sent).toEqual({ answered: [8] });
    // The parent's end is processed before the agent leg's: the duration is not known yet.
    expect((await save([aCallEvent({ providerCallId: 'CA-P', state: CallState.Completed, occurredAt: at(40), endedAt: at(40), durationSeconds: 40 })])).sent).toEqual({ answered: [] });
    expect((await save([aCallEvent({ ...child, state: CallState.Completed, occurredAt: at(33), endedAt: at(33), durationSeconds: 30 })])).sent).toEqual({ answered: [], ended: [8] });
    expect(live.sent.at(-1)?.event).toMatchObject({ phase: 'ended', durationSeconds: 30, caller, providerCallId: 'CA-P' });
  });

  it('sends nothing for a missed call nobody answered', async () => {
    const missed = [aCallEvent({ state: CallState.Ringing, occurredAt: at(0) }), aCallEvent({ state: CallState.Missed, occurredAt: at(20), endedAt: at(20), durationSeconds: 0 })];
    expect((await save(missed)).sent).toEqual({});
  });
});
