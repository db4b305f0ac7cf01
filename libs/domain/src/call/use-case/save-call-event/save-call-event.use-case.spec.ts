import { aCallEvent, answeredCallEvents, at, CallPipeline, CUSTOMER, permutations } from '../../../../test/fakes/call';
import { CallState, CallTaskName, CallVersionConflictError, KommoWriteTarget } from '../../index';
import { SaveCallEventUseCase } from './save-call-event.use-case';

describe('SaveCallEventUseCase', () => {
  let pipeline: CallPipeline;
  let sut: SaveCallEventUseCase;

  beforeEach(() => {
    pipeline = new CallPipeline();
    sut = pipeline.saveCallEvent;
  });

  it('creates the call on first sight and waits for its end before asking to log it', async () => {
    const [ringing, answered, completed] = answeredCallEvents();

    const first = await sut.execute({ event: ringing });
    expect(first).toEqual({ callId: 'call-1', applied: true, enqueued: [] });
    await sut.execute({ event: answered });
    expect(pipeline.queue.enqueued).toEqual([]);

    const last = await sut.execute({ event: completed });
    expect(last.enqueued).toEqual([CallTaskName.AddCall]);
    expect(pipeline.queue.enqueued).toEqual([
      { name: CallTaskName.AddCall, payload: { accountId: 42, callId: 'call-1' }, dedupeKey: 'call-1', accountId: 42 },
    ]);
    expect(pipeline.calls.get('call-1').state).toBe(CallState.Completed);
  });

  it('makes a duplicate delivery (×3) a no-op that saves nothing', async () => {
    const [ringing] = answeredCallEvents();
    await sut.execute({ event: ringing });
    const saves = pipeline.calls.saves;

    for (let i = 0; i < 3; i += 1) {
      await expect(sut.execute({ event: ringing })).resolves.toEqual({ callId: 'call-1', applied: false, enqueued: [] });
    }
    expect(pipeline.calls.saves).toBe(saves);
    expect(pipeline.calls.all()).toHaveLength(1);
  });

  it('re-enqueues AddCall for a duplicate of the final delivery (a crash may have lost the first enqueue); one job id', async () => {
    const events = answeredCallEvents();
    await pipeline.deliver(events);
    await pipeline.deliver(events);
    expect(pipeline.queue.jobs(CallTaskName.AddCall)).toHaveLength(1);
    expect(pipeline.queue.jobs(CallTaskName.AddCall)[0].dedupeKey).toBe('call-1');
  });

  it.each(permutations(answeredCallEvents()).map((order, index) => [index, order] as const))(
    'ordering #%i of the deliveries, each delivered 3× concurrently, gives one call with the final state',
    async (_index, order) => {
      await pipeline.deliver([...order, ...[...order].reverse(), ...order], { concurrently: true });
      const calls = pipeline.calls.all();
      expect(calls).toHaveLength(1);
      expect(calls[0].outcome).toBe(CallState.Completed);
      expect(calls[0].durationSeconds).toBe(60);
      expect(calls[0].recording).not.toBeNull();
      expect(pipeline.queue.jobs(CallTaskName.AddCall)).toHaveLength(1);
    },
  );

  it('joins a child leg to its parent’s call, whichever leg is seen first', async () => {
    const child = aCallEvent({ providerCallId: 'CA-C', parentProviderCallId: 'CA-P', state: CallState.Answered, direction: null });
    const parent = aCallEvent({ providerCallId: 'CA-P', state: CallState.Ringing });

    await sut.execute({ event: child });
    await sut.execute({ event: parent });
    await sut.execute({ event: aCallEvent({ providerCallId: 'CA-C', parentProviderCallId: 'CA-P', state: CallState.Completed, durationSeconds: 9, direction: null }) });

    const calls = pipeline.calls.all();
    expect(calls).toHaveLength(1);
    expect(calls[0].providerCallIds).toEqual(['CA-C', 'CA-P']);
    expect(calls[0].customerNumber).toBe(CUSTOMER);
  });

  it('finds a child leg’s call by its own id when a later delivery (a recording callback) names no parent', async () => {
    await sut.execute({ event: aCallEvent({ providerCallId: 'CA-C', parentProviderCallId: 'CA-P', state: CallState.Ringing }) });
    const result = await sut.execute({ event: aCallEvent({ providerCallId: 'CA-C', state: null, recording: { url: 'https://r/1', durationSeconds: 3 } }) });
    expect(result.callId).toBe('call-1');
    expect(pipeline.calls.all()).toHaveLength(1);
  });

  it('keeps calls of different accounts apart even with the same provider call id', async () => {
    await sut.execute({ event: aCallEvent({ accountId: 42 }) });
    await sut.execute({ event: aCallEvent({ accountId: 43 }) });
    expect(pipeline.calls.all(42)).toHaveLength(1);
    expect(pipeline.calls.all(43)).toHaveLength(1);
  });

  it('asks for a note update (keyed by revision) when a logged call gets its recording late', async () => {
    const [ringing, answered, completed, recording] = answeredCallEvents();
    pipeline.kommo.addContact(CUSTOMER);
    await pipeline.deliver([ringing, answered, completed]);
    await pipeline.drain();
    expect(pipeline.kommo.notes).toHaveLength(1);
    pipeline.queue.clear();

    const result = await sut.execute({ event: recording });
    expect(result.enqueued).toEqual([CallTaskName.AttachRecording]);
    expect(pipeline.queue.enqueued[0].dedupeKey).toBe('call-1-r1');
  });

  it('retries an optimistic-concurrency conflict by reloading, then gives up with a retryable error', async () => {
    const [ringing, answered] = answeredCallEvents();
    await sut.execute({ event: ringing });
    let interfere = 1;
    pipeline.calls.beforeSave = async (call) => {
      if (interfere-- <= 0) return;
      const other = pipeline.calls.get(call.id);
      other.applyModalResult({ submissionId: 'x', submittedAt: at(1), userId: 1, resultText: 'concurrent', callStatus: null });
      pipeline.calls.beforeSave = null;
      await pipeline.calls.save(other);
      pipeline.calls.beforeSave = () => undefined;
    };
    await sut.execute({ event: answered });
    const call = pipeline.calls.get('call-1');
    expect(call.state).toBe(CallState.Answered);
    expect(call.modalResult?.resultText).toBe('concurrent');

    const stubborn = new SaveCallEventUseCase(
      { ...pipeline.calls, findByProviderCallId: pipeline.calls.findByProviderCallId.bind(pipeline.calls), save: () => Promise.reject(new CallVersionConflictError('call-1')) } as never,
      pipeline.queue,
      pipeline.random,
      { conflictAttempts: 3 },
    );
    await expect(stubborn.execute({ event: aCallEvent({ state: CallState.Busy }) })).rejects.toBeInstanceOf(CallVersionConflictError);
  });

  it('does not enqueue AddCall again once the call is delivered', async () => {
    const events = answeredCallEvents();
    await pipeline.deliver(events.slice(0, 3));
    const call = pipeline.calls.get('call-1');
    call.claimDelivery(KommoWriteTarget.CallsApi, call.kommoFields!, at(0));
    call.deliverySent({ entity: { type: 'contact', id: 1 }, noteId: 2 }, at(1));
    await pipeline.calls.save(call);
    pipeline.queue.clear();

    await sut.execute({ event: events[0] });
    await sut.execute({ event: aCallEvent({ state: CallState.Ringing, idempotencyKey: 'late' }) });
    expect(pipeline.queue.enqueued).toEqual([]);
  });
});
