import { aCallEvent, answeredCallEvents, at, CallPipeline, CUSTOMER, missedCallEvents } from '../../test/fakes/call';
import { CallEvent, CallState, e164, KommoDeliveryStatus } from './index';

/** Deterministic shuffle (mulberry32) so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Twilio inbound call with a <Dial> child leg to the agent, and a recording. */
function dialledCall(suffix: string): CallEvent[] {
  const parent = { providerCallId: `CA-P${suffix}` };
  const child = { providerCallId: `CA-C${suffix}`, parentProviderCallId: `CA-P${suffix}`, direction: null, callee: e164('+5511955550000'), agentExtension: '101' };
  return [
    aCallEvent({ ...parent, state: CallState.Ringing, startedAt: at(0), sequence: 0 }),
    aCallEvent({ ...parent, state: CallState.Answered, answeredAt: at(1), sequence: 1 }),
    aCallEvent({ ...child, state: CallState.Ringing, sequence: 0 }),
    aCallEvent({ ...child, state: CallState.Answered, answeredAt: at(6), sequence: 1 }),
    aCallEvent({ ...child, state: CallState.Completed, endedAt: at(66), durationSeconds: 60, sequence: 2 }),
    aCallEvent({ ...parent, state: CallState.Completed, endedAt: at(70), durationSeconds: 69, sequence: 2 }),
    aCallEvent({ ...parent, state: null, direction: null, caller: null, callee: null, recording: { url: `https://api.twilio.com/rec/RE${suffix}`, durationSeconds: 60 } }),
  ];
}

describe('call pipeline scenarios (domain level)', () => {
  let pipeline: CallPipeline;

  beforeEach(() => {
    pipeline = new CallPipeline();
    pipeline.extensions.map(42, '101', 9001);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'every webhook delivered 3× concurrently in shuffled order (seed %i) → exactly one call note with the final state',
    async (seed) => {
      pipeline.kommo.addContact(CUSTOMER, { activeLeadIds: [555] });
      const events = dialledCall('1');
      const deliveries = shuffled([...events, ...events, ...events], seed);
      // Jobs run while deliveries are still arriving, as a worker would.
      await pipeline.deliver(deliveries.slice(0, 7), { concurrently: true });
      await pipeline.drain();
      await pipeline.deliver(deliveries.slice(7), { concurrently: true });
      await pipeline.drain();

      expect(pipeline.calls.all()).toHaveLength(1);
      const notes = pipeline.kommo.notes;
      expect(notes).toHaveLength(1);
      expect(notes[0].entity).toEqual({ type: 'lead', id: 555 });
      expect(notes[0].record).toMatchObject({
        phone: CUSTOMER,
        fields: { callStatus: 4, durationSeconds: 60, hasRecording: true },
        responsibleUserId: 9001,
      });
      expect(notes[0].record.recordingLink).not.toBeNull();
      expect(pipeline.errors).toEqual([]);
    },
  );

  it('a recording 30 s late → the same note updated', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    const events = dialledCall('1');
    await pipeline.deliver(events.slice(0, 6));
    await pipeline.drain();
    pipeline.clock.advance(30_000);
    await pipeline.deliver(events.slice(6));
    await pipeline.drain();
    expect(pipeline.kommo.notes).toHaveLength(1);
    expect(pipeline.kommo.notes[0].updates).toBe(1);
    expect(pipeline.kommo.notes[0].record.fields.hasRecording).toBe(true);
  });

  it('missed call → exactly one callback task, auto-completed by a later answered call', async () => {
    pipeline.kommo.addContact(CUSTOMER, { responsibleUserId: 321 });
    await pipeline.deliver([...missedCallEvents('CA-1'), ...missedCallEvents('CA-1')]);
    await pipeline.drain();
    await pipeline.deliver(missedCallEvents('CA-2', 120));
    await pipeline.drain();
    expect(pipeline.kommo.tasks).toHaveLength(1);
    expect(pipeline.kommo.tasks[0]).toMatchObject({ responsibleUserId: 321, completed: false });

    await pipeline.deliver(answeredCallEvents('CA-3').map((event) => ({ ...event, startedAt: event.startedAt && at(600), answeredAt: event.answeredAt && at(605) })));
    await pipeline.drain();
    expect(pipeline.kommo.tasks).toHaveLength(1);
    expect(pipeline.kommo.tasks[0].completed).toBe(true);
    expect(pipeline.kommo.notes).toHaveLength(3);
  });

  it('unknown number: two calls while the incoming lead is unsorted → one lead, both calls on it, nothing lost', async () => {
    await pipeline.deliver(missedCallEvents('CA-1'));
    await pipeline.drain();
    await pipeline.deliver(answeredCallEvents('CA-2').map((event) => ({ ...event, answeredAt: event.answeredAt && at(300) })));
    await pipeline.drain();

    expect(pipeline.kommo.unsorted).toHaveLength(1);
    const leadId = pipeline.kommo.unsorted[0].leadId;
    expect(pipeline.kommo.notes.map((note) => note.entity)).toEqual([
      { type: 'lead', id: leadId },
      { type: 'lead', id: leadId },
    ]);
    for (const call of pipeline.calls.all()) expect(call.delivery.status).toBe(KommoDeliveryStatus.UnknownNumberLead);
    expect(pipeline.kommo.tasks).toHaveLength(1); // the missed one asked for a callback...
    expect(pipeline.kommo.tasks[0].completed).toBe(true); // ...and the answered one closed it
  });

  it('Kommo failing 30% ambiguously (after applying) and 20% with 429 → every call logged exactly once', async () => {
    pipeline.kommo.addContact(CUSTOMER);
    for (let i = 0; i < 10; i += 1) pipeline.kommo.failNext('logCalls', i % 3 === 0 ? 'ambiguous_applied' : i % 5 === 0 ? 'not_applied' : 'ambiguous_not_applied');
    for (let i = 0; i < 30; i += 1) {
      await pipeline.deliver([aCallEvent({ providerCallId: `CA-${i}`, state: CallState.Completed, durationSeconds: 10 })]);
      await pipeline.drain(1);
    }
    await pipeline.drain(20);
    expect(pipeline.pendingJobs()).toEqual([]);
    const uniqs = pipeline.kommo.notes.map((note) => note.uniq);
    expect(uniqs).toHaveLength(30);
    expect(new Set(uniqs).size).toBe(30);
  });
});
