import { VoipProvider } from '../account-settings/voip-connection';
import { aCallEvent, answeredCallEvents, at, CUSTOMER, missedCallEvents, OUR_NUMBER, permutations } from '../../test/fakes/call';
import {
  Call,
  CallDirection,
  CallEvent,
  CallSnapshot,
  CallState,
  e164,
  InvalidCallEventError,
  KommoCallStatus,
  KommoWriteTarget,
} from './index';

function fold(events: readonly CallEvent[], id = 'call-1'): Call {
  const first = events[0];
  const call = Call.start({ id, accountId: first.accountId, provider: first.provider, providerCallId: first.providerCallId });
  for (const event of events) call.apply(event);
  return call;
}

/** Everything but the order-dependent bookkeeping. */
function facts(call: Call): Omit<CallSnapshot, 'version'> {
  const { version: _version, ...rest } = call.toSnapshot();
  return rest;
}

function view(call: Call) {
  return {
    state: call.state,
    outcome: call.outcome,
    direction: call.direction,
    customerNumber: call.customerNumber,
    agentExtension: call.agentExtension,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    durationSeconds: call.durationSeconds,
    recording: call.recording,
    isMissed: call.isMissed,
    isReadyToLog: call.isReadyToLog,
    kommoCallStatus: call.kommoCallStatus,
    kommoNoteType: call.kommoNoteType,
  };
}

const AGENT = e164('+5511955550000');

/** Twilio inbound call forwarded with <Dial>: parent CA-P (customer → our number), child CA-C (→ agent). */
function dialledInboundCall(childAnswers: boolean): CallEvent[] {
  const parent = { providerCallId: 'CA-P' };
  const child = {
    providerCallId: 'CA-C',
    parentProviderCallId: 'CA-P',
    direction: null,
    caller: CUSTOMER,
    callee: AGENT,
    agentExtension: 'client:anna',
  };
  const childEnd = childAnswers
    ? [
        aCallEvent({ ...child, state: CallState.Answered, occurredAt: at(8), answeredAt: at(8), sequence: 1 }),
        aCallEvent({ ...child, state: CallState.Completed, occurredAt: at(63), endedAt: at(63), durationSeconds: 55, sequence: 2 }),
      ]
    : [aCallEvent({ ...child, state: CallState.Missed, occurredAt: at(30), endedAt: at(30), durationSeconds: 0, sequence: 1 })];
  return [
    aCallEvent({ ...parent, state: CallState.Ringing, occurredAt: at(0), startedAt: at(0), sequence: 0 }),
    aCallEvent({ ...parent, state: CallState.Answered, occurredAt: at(1), answeredAt: at(1), sequence: 1 }),
    aCallEvent({ ...child, state: CallState.Ringing, occurredAt: at(2), startedAt: at(2), sequence: 0 }),
    ...childEnd,
    aCallEvent({ ...parent, state: CallState.Completed, occurredAt: at(70), endedAt: at(70), durationSeconds: 69, sequence: 2 }),
    aCallEvent({ ...parent, state: null, direction: null, caller: null, callee: null, occurredAt: at(95), recording: { url: 'https://api.twilio.com/rec/RE1', durationSeconds: 55 } }),
  ];
}

describe('Call', () => {
  describe('monotone merge', () => {
    const events = answeredCallEvents('CA-1', { agentExtension: '101' });
    const reference = fold(events);

    it('reads an answered call', () => {
      expect(view(reference)).toEqual({
        state: CallState.Completed,
        outcome: CallState.Completed,
        direction: CallDirection.Inbound,
        customerNumber: CUSTOMER,
        agentExtension: '101',
        startedAt: at(0),
        answeredAt: at(5),
        endedAt: at(65),
        durationSeconds: 60,
        recording: { url: 'https://api.twilio.com/rec/RE-CA-1', durationSeconds: 60 },
        isMissed: false,
        isReadyToLog: true,
        kommoCallStatus: KommoCallStatus.ConversationTookPlace,
        kommoNoteType: 'call_in',
      });
    });

    it.each(permutations(events).map((order, index) => [index, order] as const))(
      'converges to the same call for ordering #%i of ringing, answered, completed, recording',
      (_index, order) => {
        expect(facts(fold(order))).toEqual(facts(reference));
      },
    );

    it('ignores a delivery applied before (×3) and says so', () => {
      const call = fold(events);
      const before = facts(call);
      for (const event of events) {
        expect(call.apply(event)).toBe(false);
        expect(call.apply(event)).toBe(false);
      }
      expect(facts(call)).toEqual(before);
    });

    it('converges when every delivery arrives three times, interleaved', () => {
      const tripled = [...events, ...[...events].reverse(), ...events.slice(2), ...events.slice(0, 2)];
      expect(facts(fold(tripled))).toEqual(facts(reference));
    });

    it('is idempotent even for a re-delivery with a new key (same facts)', () => {
      const call = fold(events);
      const again = aCallEvent({ ...events[2], idempotencyKey: 'retry-of-completed' });
      call.apply(again);
      expect(view(call)).toEqual(view(reference));
    });

    it('never moves back: ringing after completed leaves it completed', () => {
      const call = fold([events[2], events[0]]);
      expect(call.state).toBe(CallState.Completed);
      expect(call.isReadyToLog).toBe(true);
    });

    it('tracks progress before the end', () => {
      expect(fold([events[0]]).state).toBe(CallState.Ringing);
      expect(fold([events[0], events[1]]).state).toBe(CallState.Answered);
      expect(fold([events[1]]).state).toBe(CallState.Answered);
      expect(fold([events[1]]).isReadyToLog).toBe(false);
      expect(fold([events[3]]).state).toBeNull();
    });

    it('creates and closes in one step when the end is the first thing seen', () => {
      const call = fold([events[2]]);
      expect(call.outcome).toBe(CallState.Completed);
      expect(call.durationSeconds).toBe(60);
      expect(call.startedAt).toEqual(at(65));
    });
  });

  describe('outcomes (voip.md §7.2)', () => {
    const end = (state: CallState, extra: Partial<Parameters<typeof aCallEvent>[0]> = {}) =>
      aCallEvent({ state, occurredAt: at(30), endedAt: at(30), ...extra });

    it.each([
      ['missed', [end(CallState.Missed, { durationSeconds: 0 })], CallState.Missed],
      ['busy', [end(CallState.Busy)], CallState.Busy],
      ['failed', [end(CallState.Failed)], CallState.Failed],
      ['voicemail', [end(CallState.Voicemail, { durationSeconds: 12 })], CallState.Voicemail],
      ['completed with talk time 0 and no answer = missed', [end(CallState.Completed, { durationSeconds: 0 })], CallState.Missed],
      ['completed without duration = trusted', [end(CallState.Completed)], CallState.Completed],
      ['answered then failed = a conversation took place', [aCallEvent({ state: CallState.Answered }), end(CallState.Failed)], CallState.Completed],
      ['missed with talk time > 0 = answered', [end(CallState.Missed, { durationSeconds: 9 })], CallState.Completed],
      ['voicemail beats completed', [end(CallState.Completed, { durationSeconds: 10 }), end(CallState.Voicemail, { idempotencyKey: 'vm' })], CallState.Voicemail],
      ['busy beats missed', [end(CallState.Missed), end(CallState.Busy, { idempotencyKey: 'b' })], CallState.Busy],
      ['missed beats failed', [end(CallState.Failed), end(CallState.Missed, { idempotencyKey: 'm' })], CallState.Missed],
    ])('%s', (_name, events, outcome) => {
      expect(fold(events).outcome).toBe(outcome);
      expect(fold([...events].reverse()).outcome).toBe(outcome);
    });

    it('a missed inbound call is missed; an outbound one is not (no callback for our own unanswered calls)', () => {
      expect(fold(missedCallEvents()).isMissed).toBe(true);
      expect(fold(missedCallEvents()).durationSeconds).toBe(0);
      expect(fold(missedCallEvents()).kommoCallStatus).toBe(KommoCallStatus.DidNotGetThrough);
      const outbound = missedCallEvents().map((event) => aCallEvent({ ...event, direction: CallDirection.Outbound, caller: OUR_NUMBER, callee: CUSTOMER }));
      expect(fold(outbound).isMissed).toBe(false);
      expect(fold(outbound).kommoCallStatus).toBe(KommoCallStatus.NotAvailable);
      expect(fold(outbound).customerNumber).toBe(CUSTOMER);
      expect(fold(outbound).kommoNoteType).toBe('call_out');
    });

    it('a voicemail counts as missed and takes its length from the recording when the leg has none', () => {
      const call = fold([end(CallState.Voicemail), aCallEvent({ state: null, recording: { url: 'https://r/vm', durationSeconds: 17 } })]);
      expect(call.isMissed).toBe(true);
      expect(call.durationSeconds).toBe(17);
      expect(call.kommoCallStatus).toBe(KommoCallStatus.LeftMessage);
    });

    it('computes talk time from the timestamps when the provider gives no duration', () => {
      const call = fold([
        aCallEvent({ state: CallState.Answered, answeredAt: at(10) }),
        aCallEvent({ state: CallState.Completed, endedAt: at(52) }),
      ]);
      expect(call.durationSeconds).toBe(42);
    });

    it('is not ready to log without a direction', () => {
      const call = fold([aCallEvent({ direction: null, state: CallState.Completed })]);
      expect(call.isEnded).toBe(true);
      expect(call.isReadyToLog).toBe(false);
      expect(call.kommoFields).toBeNull();
    });

    it('has no customer number for an anonymous caller', () => {
      expect(fold([aCallEvent({ caller: null, state: CallState.Missed })]).customerNumber).toBeNull();
    });
  });

  describe('legs of one customer call', () => {
    it('merges parent and child legs into one call whose agent leg decides the answer', () => {
      const call = fold(dialledInboundCall(true));
      expect(call.rootProviderCallId).toBe('CA-P');
      expect(call.providerCallIds).toEqual(['CA-C', 'CA-P']);
      expect(view(call)).toMatchObject({
        outcome: CallState.Completed,
        direction: CallDirection.Inbound,
        customerNumber: CUSTOMER,
        agentExtension: 'client:anna',
        answeredAt: at(8),
        endedAt: at(70),
        durationSeconds: 55,
      });
    });

    it('converges for every ordering of 7 deliveries over two legs (5040 orders)', () => {
      const events = dialledInboundCall(true);
      const reference = facts(fold(events));
      for (const order of permutations(events)) expect(facts(fold(order))).toEqual(reference);
    });

    it('reads a call the agent never answered as missed although Twilio "answered" the parent leg', () => {
      const call = fold(dialledInboundCall(false));
      expect(call.outcome).toBe(CallState.Missed);
      expect(call.isMissed).toBe(true);
      expect(call.durationSeconds).toBe(0);
      for (const order of permutations(dialledInboundCall(false)).slice(0, 200)) expect(fold(order).outcome).toBe(CallState.Missed);
    });

    it('is ready to log when the root leg ends, even if a child leg has not reported its end', () => {
      const [ringing, answered, childRinging, childAnswered, , parentCompleted] = dialledInboundCall(true);
      const call = fold([ringing, answered, childRinging, childAnswered, parentCompleted]);
      expect(call.isReadyToLog).toBe(true);
      expect(call.outcome).toBe(CallState.Completed);
    });

    it('with only child legs reported, ends when all of them ended', () => {
      const child = { providerCallId: 'CA-C', parentProviderCallId: 'CA-P' };
      const ringing = aCallEvent({ ...child, state: CallState.Ringing });
      const other = aCallEvent({ providerCallId: 'CA-D', parentProviderCallId: 'CA-P', state: CallState.Ringing });
      const ended = aCallEvent({ ...child, state: CallState.Busy });
      expect(fold([ringing, other, ended]).isEnded).toBe(false);
      const call = fold([ringing, other, ended, aCallEvent({ providerCallId: 'CA-D', parentProviderCallId: 'CA-P', state: CallState.Missed })]);
      expect(call.isEnded).toBe(true);
      expect(call.outcome).toBe(CallState.Busy);
    });

    it('click-to-call: the root leg rings the agent, the child leg dials the customer', () => {
      const root = { providerCallId: 'CA-R', direction: CallDirection.Outbound, caller: OUR_NUMBER, callee: AGENT };
      const child = { providerCallId: 'CA-K', parentProviderCallId: 'CA-R', direction: CallDirection.Outbound, caller: OUR_NUMBER, callee: CUSTOMER };
      const call = fold([
        aCallEvent({ ...root, state: CallState.Answered }),
        aCallEvent({ ...child, state: CallState.Answered, answeredAt: at(4) }),
        aCallEvent({ ...child, state: CallState.Completed, durationSeconds: 30 }),
        aCallEvent({ ...root, state: CallState.Completed, durationSeconds: 40 }),
      ]);
      expect(call.customerNumber).toBe(CUSTOMER);
      expect(call.durationSeconds).toBe(30);
      expect(call.kommoNoteType).toBe('call_out');
    });

    it('refuses events of other calls, accounts or providers', () => {
      const call = fold(answeredCallEvents());
      expect(() => call.apply(aCallEvent({ providerCallId: 'CA-OTHER' }))).toThrow(InvalidCallEventError);
      expect(() => call.apply(aCallEvent({ accountId: 43 }))).toThrow(InvalidCallEventError);
      expect(() => call.apply(aCallEvent({ provider: VoipProvider.GenericPbx }))).toThrow(InvalidCallEventError);
    });
  });

  describe('recordings', () => {
    it('keeps the best recording whatever the order (longest, then a fixed tie-break)', () => {
      const short = aCallEvent({ state: null, recording: { url: 'https://r/b', durationSeconds: 10 } });
      const long = aCallEvent({ state: null, recording: { url: 'https://r/c', durationSeconds: 50 } });
      const tie = aCallEvent({ state: null, recording: { url: 'https://r/a', durationSeconds: 50 } });
      for (const order of permutations([short, long, tie])) {
        expect(fold(order).recording).toEqual({ url: 'https://r/a', durationSeconds: 50 });
      }
    });
  });

  describe('after logging', () => {
    function loggedWithoutRecording(): Call {
      const [ringing, answered, completed] = answeredCallEvents();
      const call = fold([ringing, answered, completed]);
      call.claimDelivery(KommoWriteTarget.CallsApi, call.kommoFields!, at(70));
      call.deliverySent({ entity: { type: 'lead', id: 5 }, noteId: 77 }, at(71));
      return call;
    }

    it('records what the note shows', () => {
      const call = loggedWithoutRecording();
      expect(call.isDelivered).toBe(true);
      expect(call.loggedAs).toEqual({ callStatus: 4, durationSeconds: 60, hasRecording: false, callResult: null });
      expect(call.needsKommoUpdate).toBe(false);
    });

    it('a late recording flips "needs update" and bumps the note revision once', () => {
      const call = loggedWithoutRecording();
      const recording = answeredCallEvents()[3];
      expect(call.apply(recording)).toBe(true);
      expect(call.recordingNeedsUpdate).toBe(true);
      expect(call.needsKommoUpdate).toBe(true);
      expect(call.kommoRevision).toBe(1);
      expect(call.apply(recording)).toBe(false);
      expect(call.kommoRevision).toBe(1);
      call.markKommoSynced(call.kommoFields!);
      expect(call.needsKommoUpdate).toBe(false);
      expect(call.recordingNeedsUpdate).toBe(false);
    });

    it('a late ringing changes nothing Kommo shows', () => {
      const call = loggedWithoutRecording();
      call.apply(aCallEvent({ state: CallState.Ringing, idempotencyKey: 'late-ringing', occurredAt: at(-5) }));
      expect(call.needsKommoUpdate).toBe(false);
      expect(call.kommoRevision).toBe(0);
    });
  });

  describe('modal result', () => {
    const first = { submissionId: 's1', submittedAt: at(100), userId: 7, resultText: 'Wants a quote', callStatus: null };
    const second = { submissionId: 's2', submittedAt: at(200), userId: 7, resultText: 'Call back Monday', callStatus: KommoCallStatus.CallBackLater };

    it('last submission wins in any order; duplicates change nothing', () => {
      const a = fold(answeredCallEvents());
      expect(a.applyModalResult(first)).toBe(true);
      expect(a.applyModalResult(second)).toBe(true);
      expect(a.applyModalResult(first)).toBe(false);
      const b = fold(answeredCallEvents());
      b.applyModalResult(second);
      b.applyModalResult(first);
      b.applyModalResult(second);
      expect(facts(a)).toEqual(facts(b));
      expect(a.kommoFields).toEqual({ callStatus: KommoCallStatus.CallBackLater, durationSeconds: 60, hasRecording: true, callResult: 'Call back Monday' });
    });
  });

  it('round-trips through its snapshot', () => {
    const call = fold(dialledInboundCall(true));
    call.markSaved();
    const copy = Call.fromSnapshot(JSON.parse(JSON.stringify(call.toSnapshot()), (key, value) => (/At$|^since$|^at$/.test(key) && typeof value === 'string' ? new Date(value) : value)));
    expect(copy.toSnapshot()).toEqual(call.toSnapshot());
    expect(copy.version).toBe(1);
  });
});
