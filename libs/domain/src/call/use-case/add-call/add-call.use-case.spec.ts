import { UnknownNumberPolicy } from '../../../account-settings/account-settings';
import {
  aCallEvent,
  answeredCallEvents,
  at,
  CallPipeline,
  CUSTOMER,
  FakeKommo,
  KommoTimeoutError,
  missedCallEvents,
  OUR_NUMBER,
} from '../../../../test/fakes/call';
import {
  CallBatchTooLargeError,
  CallDirection,
  CallEvent,
  CallState,
  CallTaskName,
  e164,
  KommoDeliveryStatus,
  KommoWriteNotAppliedError,
  KommoWriteTarget,
  PendingIncomingLead,
} from '../../index';
import { AddCallUseCase } from './add-call.use-case';

const ACCOUNT = 42;

describe('AddCallUseCase', () => {
  let pipeline: CallPipeline;
  let kommo: FakeKommo;
  let sut: AddCallUseCase;

  beforeEach(() => {
    pipeline = new CallPipeline();
    kommo = pipeline.kommo;
    sut = pipeline.addCall;
  });

  /** Delivers the events and returns the new call's id (no job is run). */
  async function endedCall(events: readonly CallEvent[]): Promise<string> {
    let callId = '';
    for (const event of events) callId = (await pipeline.saveCallEvent.execute({ event })).callId;
    return callId;
  }

  const log = (...callIds: string[]) => sut.execute({ accountId: ACCOUNT, callIds });

  describe('known number', () => {
    it('logs an answered inbound call on the contact’s only active lead, with recording link and the mapped manager', async () => {
      kommo.addContact(CUSTOMER, { activeLeadIds: [555] });
      pipeline.extensions.map(ACCOUNT, '101', 9001);
      const callId = await endedCall(answeredCallEvents('CA-1', { agentExtension: '101' }));

      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'logged', retryable: false }] });

      expect(kommo.callsRequests).toEqual([1]);
      expect(kommo.notes).toHaveLength(1);
      const [note] = kommo.notes;
      expect(note.entity).toEqual({ type: 'lead', id: 555 });
      expect(note.record).toEqual({
        uniq: callId,
        direction: CallDirection.Inbound,
        phone: CUSTOMER,
        source: 'twilio',
        fields: { callStatus: 4, durationSeconds: 60, hasRecording: true, callResult: null },
        recordingLink: `https://voip.example/recordings/42/${callId}?sig=test`,
        responsibleUserId: 9001,
        startedAt: at(0),
      });
      const call = pipeline.calls.get(callId);
      expect(call.delivery).toMatchObject({ status: KommoDeliveryStatus.Sent, note: { entity: { type: 'lead', id: 555 }, noteId: note.noteId } });
      expect(call.loggedAs).toEqual(note.record.fields);
      expect(pipeline.queue.jobs(CallTaskName.CompleteCallbackTask)).toHaveLength(1);
    });

    it('logs an outbound call as outbound with the callee as the customer', async () => {
      kommo.addContact(CUSTOMER);
      const callId = await endedCall([
        aCallEvent({ direction: CallDirection.Outbound, caller: OUR_NUMBER, callee: CUSTOMER, state: CallState.Completed, durationSeconds: 12 }),
      ]);
      await log(callId);
      expect(kommo.notes[0].record).toMatchObject({ direction: CallDirection.Outbound, phone: CUSTOMER, fields: { durationSeconds: 12 } });
      expect(kommo.notes[0].entity.type).toBe('contact');
    });

    it('credits the account default manager when the extension is not mapped', async () => {
      kommo.addContact(CUSTOMER);
      await pipeline.configure(ACCOUNT, { defaultResponsibleUserId: 77 });
      await log(await endedCall(answeredCallEvents('CA-1', { agentExtension: '999' })));
      expect(kommo.notes[0].record.responsibleUserId).toBe(77);
    });

    it('sends no recording link when recordings are disabled', async () => {
      kommo.addContact(CUSTOMER);
      await pipeline.configure(ACCOUNT, { recordingEnabled: false });
      await log(await endedCall(answeredCallEvents()));
      expect(kommo.notes[0].record).toMatchObject({ recordingLink: null, fields: { hasRecording: false } });
    });

    it('logs once: running again (or 3× concurrently) never writes a second call', async () => {
      kommo.addContact(CUSTOMER);
      const callId = await endedCall(answeredCallEvents());

      const outcomes = (await Promise.all([log(callId), log(callId), log(callId)])).flatMap((r) => r.results.map((x) => x.outcome));
      expect(outcomes.filter((outcome) => outcome === 'logged')).toHaveLength(1);
      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'already_logged', retryable: false }] });
      expect(kommo.notes).toHaveLength(1);
      expect(kommo.callsRequests).toEqual([1]);
    });

    it('does not log a call that is not over yet, nor one it does not know', async () => {
      const callId = await endedCall(answeredCallEvents().slice(0, 2));
      await expect(log(callId, 'nope')).resolves.toEqual({
        results: [
          { callId, outcome: 'not_ready', retryable: false },
          { callId: 'nope', outcome: 'not_found', retryable: false },
        ],
      });
      expect(kommo.requests).toEqual([]);
    });

    it('puts a manager’s modal result on the call when it came before the call was logged', async () => {
      kommo.addContact(CUSTOMER);
      const callId = await endedCall(answeredCallEvents());
      await pipeline.updateFromModal.execute({
        accountId: ACCOUNT,
        call: { callId },
        submissionId: 's1',
        submittedAt: at(100),
        userId: 9001,
        resultText: 'Sent the price list',
        callStatus: null,
      });
      await log(callId);
      expect(kommo.notes[0].record.fields.callResult).toBe('Sent the price list');
    });
  });

  describe('batching', () => {
    it('sends the calls of one account in one request and answers per call', async () => {
      kommo.addContact(CUSTOMER);
      const unknown = e164('+5511911112222');
      const a = await endedCall(answeredCallEvents('CA-A'));
      const b = await endedCall(answeredCallEvents('CA-B'));
      const c = await endedCall([aCallEvent({ providerCallId: 'CA-C', caller: unknown, state: CallState.Completed, durationSeconds: 5 })]);

      const { results } = await log(a, b, c);

      expect(kommo.callsRequests).toEqual([3]);
      expect(results.map((result) => result.outcome)).toEqual(['logged', 'logged', 'incoming_lead_created']);
    });

    it('refuses more than 50 calls in one batch', async () => {
      const ids = Array.from({ length: 51 }, (_, i) => `c${i}`);
      await expect(log(...ids)).rejects.toBeInstanceOf(CallBatchTooLargeError);
    });

    it('logs 120 calls ending together in 3 requests of at most 50', async () => {
      kommo.addContact(CUSTOMER);
      for (let i = 0; i < 120; i += 1) {
        await pipeline.deliver([aCallEvent({ providerCallId: `CA-${i}`, state: CallState.Completed, durationSeconds: i + 1 })]);
      }
      await pipeline.drain();
      expect(kommo.callsRequests).toEqual([50, 50, 20]);
      expect(kommo.notes).toHaveLength(120);
      expect(new Set(kommo.notes.map((note) => note.uniq)).size).toBe(120);
    });
  });

  describe('exactly once under failures', () => {
    beforeEach(() => {
      kommo.addContact(CUSTOMER);
    });

    it('after an ambiguous failure that Kommo applied, reconciles, finds our uniq and does not resend', async () => {
      const callId = await endedCall(answeredCallEvents());
      kommo.failNext('logCalls', 'ambiguous_applied');

      await expect(log(callId)).rejects.toBeInstanceOf(KommoTimeoutError);
      expect(pipeline.calls.get(callId).delivery).toMatchObject({ status: KommoDeliveryStatus.Ambiguous, target: KommoWriteTarget.CallsApi });

      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'reconciled', retryable: false }] });
      expect(kommo.callsRequests).toEqual([1]);
      expect(kommo.notesWithUniq(callId)).toHaveLength(1);
      expect(pipeline.calls.get(callId).delivery).toMatchObject({ status: KommoDeliveryStatus.Sent, note: { noteId: kommo.notes[0].noteId } });
    });

    it('after an ambiguous failure that Kommo did not apply, reconciles, finds nothing and sends once more', async () => {
      const callId = await endedCall(answeredCallEvents());
      kommo.failNext('logCalls', 'ambiguous_not_applied');

      await expect(log(callId)).rejects.toBeInstanceOf(KommoTimeoutError);
      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'logged', retryable: false }] });
      expect(kommo.requests).toEqual(['POST /calls', 'GET notes (batch)', 'POST /calls']);
      expect(kommo.notesWithUniq(callId)).toHaveLength(1);
    });

    it('gives every claimed write a send window: it leaves within 20 s of the earliest claim of its batch or not at all', async () => {
      const a = await endedCall(answeredCallEvents('CA-A'));
      const b = await endedCall(answeredCallEvents('CA-B'));
      const claimedAt = pipeline.clock.now().getTime();
      await log(a, b);
      expect(kommo.writeWindows).toEqual([{ op: 'logCalls', sendBy: new Date(claimedAt + 20_000) }]);
    });

    it('after a failure known to have had no effect (429), resends without reading back', async () => {
      const callId = await endedCall(answeredCallEvents());
      kommo.failNext('logCalls', 'not_applied');

      await expect(log(callId)).rejects.toBeInstanceOf(KommoWriteNotAppliedError);
      expect(pipeline.calls.get(callId).delivery).toEqual({ status: KommoDeliveryStatus.Pending, attempts: 1, lastError: expect.stringContaining('429') });
      await log(callId);
      expect(kommo.requests).toEqual(['POST /calls', 'POST /calls']);
      expect(kommo.notes).toHaveLength(1);
    });

    it('marks every call of a failed batch and reconciles them all with one read-back', async () => {
      const a = await endedCall(answeredCallEvents('CA-A'));
      const b = await endedCall(answeredCallEvents('CA-B'));
      kommo.failNext('logCalls', 'ambiguous_applied');
      await expect(log(a, b)).rejects.toThrow();
      const failedAt = pipeline.clock.now().getTime();

      const { results } = await log(a, b);
      expect(results.map((result) => result.outcome)).toEqual(['reconciled', 'reconciled']);
      expect(kommo.notes).toHaveLength(2);
      expect(kommo.requests).toEqual(['POST /calls', 'GET notes (batch)']);
      // The window starts a claim lease (45 s) and the clock margin (5 min) before the calls were marked.
      expect(kommo.readBackQueries).toEqual([{ uniqs: [a, b], writtenSince: new Date(failedAt - 45_000 - 300_000) }]);
    });

    it('a batch whose calls Kommo did not store is read back once and sent again in one request', async () => {
      const ids = [];
      for (let index = 0; index < 20; index += 1) ids.push(await endedCall(answeredCallEvents(`CA-N${index}`)));
      kommo.failNext('logCalls', 'ambiguous_not_applied');
      await expect(log(...ids)).rejects.toThrow();

      const { results } = await log(...ids);
      expect(results.every((result) => result.outcome === 'logged')).toBe(true);
      expect(kommo.requests).toEqual(['POST /calls', 'GET notes (batch)', 'POST /calls']);
      expect(ids.map((id) => kommo.notesWithUniq(id).length)).toEqual(ids.map(() => 1));
    });

    it('an incomplete read-back trusts what it found and searches the other calls one by one', async () => {
      const a = await endedCall(answeredCallEvents('CA-A'));
      const b = await endedCall(answeredCallEvents('CA-B'));
      kommo.failNext('logCalls', 'ambiguous_applied');
      await expect(log(a)).rejects.toThrow();
      kommo.failNext('logCalls', 'ambiguous_not_applied');
      await expect(log(b)).rejects.toThrow();
      kommo.readBackComplete = false;
      kommo.requests.length = 0;

      const { results } = await log(a, b);
      expect(results.map((result) => result.outcome)).toEqual(['reconciled', 'logged']);
      expect(kommo.requests).toEqual(['GET notes (batch)', 'GET notes', 'POST /calls']);
      expect([kommo.notesWithUniq(a).length, kommo.notesWithUniq(b).length]).toEqual([1, 1]);
    });

    it('when the read-back fails, the uncertain calls wait for a retry: nothing is written, nothing searched one by one', async () => {
      const a = await endedCall(answeredCallEvents('CA-A'));
      const fresh = await endedCall(answeredCallEvents('CA-F'));
      kommo.failNext('logCalls', 'ambiguous_not_applied');
      await expect(log(a)).rejects.toThrow();
      kommo.readBackFailure = new KommoTimeoutError();
      kommo.requests.length = 0;

      const { results } = await log(a, fresh);
      expect(results).toEqual([
        { callId: a, outcome: 'retry_later', retryable: true, detail: expect.stringContaining('read-back failed') },
        { callId: fresh, outcome: 'logged', retryable: false },
      ]);
      expect(kommo.requests).toEqual(['GET notes (batch)', 'POST /calls']);
      expect(pipeline.calls.get(a).delivery.status).toBe(KommoDeliveryStatus.Ambiguous);
      await expect(log(a)).resolves.toEqual({ results: [{ callId: a, outcome: 'logged', retryable: false }] });
      expect(kommo.notesWithUniq(a)).toHaveLength(1);
    });

    it('leaves a fresh claim of another worker alone, and reconciles it once its lease expired (worker died after Kommo stored it)', async () => {
      const callId = await endedCall(answeredCallEvents());
      // Another worker claimed the call and Kommo stored it, then that worker died before recording the result.
      const call = pipeline.calls.get(callId);
      call.claimDelivery(KommoWriteTarget.CallsApi, call.kommoFields!, pipeline.clock.now());
      await pipeline.calls.save(call);
      await kommo.logCalls(ACCOUNT, [{ uniq: callId, direction: CallDirection.Inbound, phone: CUSTOMER, source: 'twilio', fields: call.kommoFields!, recordingLink: null, responsibleUserId: null, startedAt: at(0) }]);

      pipeline.clock.advance(10_000);
      // Come back when the lease (45 s from the claim) is over.
      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'in_flight', retryable: true, retryAfterMs: 36_000 }] });

      pipeline.clock.advance(35_000);
      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'reconciled', retryable: false }] });
      expect(kommo.notesWithUniq(callId)).toHaveLength(1);
      expect(kommo.callsRequests).toEqual([1]);
    });

    it('gives up on an item Kommo rejects for good, without losing the call', async () => {
      const callId = await endedCall(answeredCallEvents());
      jest.spyOn(kommo, 'logCalls').mockResolvedValueOnce([{ kind: 'rejected', detail: 'InvalidType duration' }]);

      await expect(log(callId)).resolves.toEqual({
        results: [{ callId, outcome: 'rejected', retryable: false, detail: 'InvalidType duration' }],
      });
      expect(pipeline.calls.get(callId).delivery.status).toBe(KommoDeliveryStatus.Pending);
    });

    it('treats a result list of the wrong length as ambiguous', async () => {
      const callId = await endedCall(answeredCallEvents());
      jest.spyOn(kommo, 'logCalls').mockResolvedValueOnce([]);
      await expect(log(callId)).rejects.toThrow('0 results for 1 calls');
      expect(pipeline.calls.get(callId).delivery.status).toBe(KommoDeliveryStatus.Ambiguous);
    });

    it('records the result even when the call changed while Kommo was writing (late recording)', async () => {
      const events = answeredCallEvents();
      const callId = await endedCall(events.slice(0, 3));
      const original = kommo.logCalls.bind(kommo);
      jest.spyOn(kommo, 'logCalls').mockImplementationOnce(async (accountId, records) => {
        await pipeline.saveCallEvent.execute({ event: events[3] });
        return original(accountId, records);
      });

      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'logged', retryable: false }] });
      const call = pipeline.calls.get(callId);
      expect(call.delivery.status).toBe(KommoDeliveryStatus.Sent);
      expect(call.recordingNeedsUpdate).toBe(true);
      expect(pipeline.queue.jobs(CallTaskName.AttachRecording)).toHaveLength(1);
    });
  });

  describe('unknown number ("Entity not found")', () => {
    it('creates an incoming lead with the call (policy incoming_lead, the default)', async () => {
      const callId = await endedCall(answeredCallEvents());

      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'incoming_lead_created', retryable: false }] });

      expect(kommo.unsorted).toEqual([expect.objectContaining({ phone: CUSTOMER, uniq: callId, status: 'pending' })]);
      expect(pipeline.calls.get(callId).delivery).toMatchObject({
        status: KommoDeliveryStatus.UnknownNumberLead,
        createdLead: true,
        lead: { unsortedUid: kommo.unsorted[0].uid, leadId: kommo.unsorted[0].leadId },
      });
      const now = pipeline.clock.now().getTime();
      expect(kommo.writeWindows).toEqual([
        { op: 'logCalls', sendBy: new Date(now + 20_000) },
        { op: 'createSip', sendBy: new Date(now + 20_000) },
      ]);
    });

    it('a second call while the first incoming lead is still unsorted becomes a note on it: no rejected duplicate, no lost call', async () => {
      const first = await endedCall(missedCallEvents('CA-1'));
      await log(first);
      const second = await endedCall(answeredCallEvents('CA-2'));

      await expect(log(second)).resolves.toEqual({ results: [{ callId: second, outcome: 'noted_on_pending_incoming_lead', retryable: false }] });

      expect(kommo.unsorted).toHaveLength(1);
      const lead = { type: 'lead', id: kommo.unsorted[0].leadId };
      expect(kommo.notesWithUniq(second)).toEqual([expect.objectContaining({ entity: lead, via: 'lead_note' })]);
      expect(pipeline.calls.get(second).delivery).toMatchObject({ status: KommoDeliveryStatus.UnknownNumberLead, createdLead: false });
      expect(kommo.requests.filter((request) => request === 'POST unsorted/sip')).toHaveLength(1);
    });

    it('two unknown calls from one number in one batch: one lead, one note on it', async () => {
      const a = await endedCall(missedCallEvents('CA-1'));
      const b = await endedCall(missedCallEvents('CA-2', 60));
      const { results } = await log(a, b);
      expect(results.map((result) => result.outcome)).toEqual(['incoming_lead_created', 'noted_on_pending_incoming_lead']);
      expect(kommo.unsorted).toHaveLength(1);
    });

    it('two unknown calls from one number logged by concurrent workers: one lead (serialised per number)', async () => {
      const a = await endedCall(missedCallEvents('CA-1'));
      const b = await endedCall(missedCallEvents('CA-2', 60));
      const results = await Promise.all([log(a), log(b)]);
      expect(results.flatMap((r) => r.results.map((x) => x.outcome)).sort()).toEqual(['incoming_lead_created', 'noted_on_pending_incoming_lead']);
      expect(kommo.unsorted).toHaveLength(1);
      expect(pipeline.lock.acquisitions).toEqual([`voip-unknown-number-42-${CUSTOMER}`, `voip-unknown-number-42-${CUSTOMER}`]);
    });

    it('if Kommo still refuses a duplicate our read missed, reads again and notes the call on the lead it holds', async () => {
      const first = await endedCall(missedCallEvents('CA-1'));
      await log(first);
      const second = await endedCall(missedCallEvents('CA-2', 60));
      const original = kommo.findPendingForNumber.bind(kommo);
      jest.spyOn(kommo, 'findPendingForNumber').mockImplementationOnce(async (): Promise<PendingIncomingLead | null> => null).mockImplementation(original);

      await expect(log(second)).resolves.toEqual({ results: [{ callId: second, outcome: 'noted_on_pending_incoming_lead', retryable: false }] });
      expect(kommo.unsorted).toHaveLength(1);
    });

    it('after an ambiguous incoming-lead creation that Kommo applied, finds the lead by our uniq instead of creating another', async () => {
      const callId = await endedCall(missedCallEvents());
      kommo.failNext('createSip', 'ambiguous_applied');

      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'retry_later', retryable: true, detail: expect.stringContaining('socket hang up') }] });
      expect(pipeline.calls.get(callId).delivery).toMatchObject({ status: KommoDeliveryStatus.Ambiguous, target: KommoWriteTarget.IncomingLead });

      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'reconciled', retryable: false }] });
      expect(kommo.unsorted).toHaveLength(1);
      expect(pipeline.calls.get(callId).delivery).toMatchObject({ status: KommoDeliveryStatus.UnknownNumberLead, createdLead: true });
    });

    it('after an ambiguous note on the pending lead, finds the note instead of writing another', async () => {
      await log(await endedCall(missedCallEvents('CA-1')));
      const second = await endedCall(missedCallEvents('CA-2', 60));
      kommo.failNext('addCallNote', 'ambiguous_applied');

      expect((await log(second)).results[0].outcome).toBe('retry_later');
      await expect(log(second)).resolves.toEqual({ results: [{ callId: second, outcome: 'reconciled', retryable: false }] });
      expect(kommo.notesWithUniq(second)).toHaveLength(1);
    });

    it('once the incoming lead was accepted, the next call from that number is logged normally', async () => {
      await log(await endedCall(missedCallEvents('CA-1')));
      kommo.accept(kommo.unsorted[0].uid);
      const next = await endedCall(answeredCallEvents('CA-2'));
      await expect(log(next)).resolves.toEqual({ results: [{ callId: next, outcome: 'logged', retryable: false }] });
      expect(kommo.notesWithUniq(next)[0].entity).toEqual({ type: 'lead', id: kommo.unsorted[0].leadId });
    });

    it('does nothing in Kommo under the "ignore" policy (but still asks for a callback task)', async () => {
      await pipeline.configure(ACCOUNT, { unknownNumberPolicy: UnknownNumberPolicy.Ignore });
      const callId = await endedCall(missedCallEvents());
      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'unknown_number_ignored', retryable: false }] });
      expect(kommo.unsorted).toEqual([]);
      expect(pipeline.calls.get(callId).delivery).toMatchObject({ status: KommoDeliveryStatus.Skipped, reason: 'unknown_number_ignored' });
      expect(pipeline.queue.jobs(CallTaskName.CreateCallbackTask)).toHaveLength(1);
    });

    it('"create contact": makes one contact for the number, then the retried job logs the call on it', async () => {
      await pipeline.configure(ACCOUNT, { unknownNumberPolicy: UnknownNumberPolicy.CreateContact, defaultResponsibleUserId: 777 });
      const callId = await endedCall(missedCallEvents());

      expect((await log(callId)).results[0]).toMatchObject({ outcome: 'contact_created', retryable: true });
      expect(kommo.createdContacts).toHaveLength(1);
      expect(kommo.createdContacts[0]).toMatchObject({ responsibleUserId: 777 });
      expect(pipeline.calls.get(callId).delivery.status).toBe(KommoDeliveryStatus.Pending);
      expect(kommo.unsorted).toEqual([]);

      await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'logged', retryable: false }] });
      expect(kommo.createdContacts).toHaveLength(1);
      expect(kommo.notesWithUniq(callId)).toHaveLength(1);
    });

    it('"create contact" never makes a second contact for a number when a retry repeats the step', async () => {
      await pipeline.configure(ACCOUNT, { unknownNumberPolicy: UnknownNumberPolicy.CreateContact });
      const first = await endedCall(missedCallEvents());
      await log(first);
      const contacts = kommo.contacts.length;
      await expect(kommo.findOrCreateForNumber(ACCOUNT, kommo.createdContacts[0].phone, null)).resolves.toMatchObject({ created: false });
      expect(kommo.contacts).toHaveLength(contacts);
    });
  });

  it('skips an anonymous call (Kommo needs a phone) without a request', async () => {
    const callId = await endedCall([aCallEvent({ caller: null, state: CallState.Missed })]);
    await expect(log(callId)).resolves.toEqual({ results: [{ callId, outcome: 'no_customer_number', retryable: false }] });
    expect(kommo.requests).toEqual([]);
    expect(pipeline.queue.jobs(CallTaskName.CreateCallbackTask)).toEqual([]);
  });

  it('asks for exactly one callback task for a missed inbound call, and none when they are turned off', async () => {
    const callId = await endedCall(missedCallEvents());
    await log(callId);
    await log(callId);
    expect(pipeline.queue.jobs(CallTaskName.CreateCallbackTask)).toEqual([
      { name: CallTaskName.CreateCallbackTask, payload: { accountId: ACCOUNT, callId }, dedupeKey: callId, accountId: ACCOUNT },
    ]);

    await pipeline.configure(ACCOUNT, { missedCallTaskDelayMinutes: null });
    pipeline.queue.clear();
    await log(await endedCall(missedCallEvents('CA-77')));
    expect(pipeline.queue.jobs(CallTaskName.CreateCallbackTask)).toEqual([]);
  });
});
