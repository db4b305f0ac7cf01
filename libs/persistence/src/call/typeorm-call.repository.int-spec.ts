import { randomBytes } from 'node:crypto';
import {
  Call,
  CallDirection,
  CallEvent,
  CallEventInput,
  CallState,
  CallVersionConflictError,
  createCallEvent,
  DeliverySkipReason,
  e164,
  KommoCallStatus,
  KommoDeliveryStatus,
  KommoWriteTarget,
  SaveCallEventUseCase,
  VoipProvider,
} from '@app/domain';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../data-source.options';
import { TypeOrmCallRepository } from './typeorm-call.repository';

const ACCOUNT = 31_000_001;
const CUSTOMER = e164('+5511987654321');
const OUR_NUMBER = e164('+5511300000000');
const T0 = new Date('2026-03-02T13:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function event(input: Partial<CallEventInput> & { providerCallId: string; key: string }): CallEvent {
  const { key, ...rest } = input;
  return createCallEvent({
    provider: VoipProvider.Twilio,
    accountId: ACCOUNT,
    connectionId: 'conn-1',
    direction: CallDirection.Inbound,
    caller: CUSTOMER,
    callee: OUR_NUMBER,
    occurredAt: T0,
    ...rest,
    idempotencyKey: `twilio:AC1:${input.providerCallId}:${key}`,
  });
}

/** A Twilio inbound call: parent leg answered by TwiML, three agent legs (busy, no answer, answered), a recording. */
function realisticEvents(parent = 'CA-parent'): CallEvent[] {
  const child = (leg: string, rest: Partial<CallEventInput> & { key: string }) =>
    event({ providerCallId: `${parent}-${leg}`, parentProviderCallId: parent, agentExtension: `client:${leg}`, ...rest });
  return [
    event({ providerCallId: parent, key: 'ringing', state: CallState.Ringing, occurredAt: at(0), startedAt: at(0), sequence: 0 }),
    event({ providerCallId: parent, key: 'answered', state: CallState.Answered, occurredAt: at(1), answeredAt: at(1), sequence: 1 }),
    child('busy', { key: 'busy', state: CallState.Busy, occurredAt: at(2), endedAt: at(2), durationSeconds: 0 }),
    child('failed', { key: 'failed', state: CallState.Failed, occurredAt: at(2), endedAt: at(2) }),
    child('noanswer', { key: 'ringing', state: CallState.Ringing, occurredAt: at(2), startedAt: at(2) }),
    child('noanswer', { key: 'missed', state: CallState.Missed, occurredAt: at(22), endedAt: at(22), durationSeconds: 0 }),
    child('vm', { key: 'voicemail', state: CallState.Voicemail, occurredAt: at(30), endedAt: at(30), durationSeconds: 12 }),
    child('agent', { key: 'ringing', state: CallState.Ringing, occurredAt: at(3), startedAt: at(3) }),
    child('agent', { key: 'answered', state: CallState.Answered, occurredAt: at(8), answeredAt: at(8) }),
    child('agent', { key: 'completed', state: CallState.Completed, occurredAt: at(68), endedAt: at(68), durationSeconds: 60 }),
    event({ providerCallId: parent, key: 'completed', state: CallState.Completed, occurredAt: at(69), endedAt: at(69), durationSeconds: 68, sequence: 2 }),
    event({
      providerCallId: parent,
      key: 'recording',
      state: null,
      direction: null,
      caller: null,
      callee: null,
      occurredAt: at(95),
      recording: { url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1', durationSeconds: 60 },
    }),
  ];
}

function startCall(id: string, providerCallId: string): Call {
  return Call.start({ id, accountId: ACCOUNT, provider: VoipProvider.Twilio, providerCallId, connectionId: 'conn-1' });
}

describe('TypeOrmCallRepository (PostgreSQL)', () => {
  let dataSource: DataSource;
  let sut: TypeOrmCallRepository;

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!)).initialize();
    sut = new TypeOrmCallRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE call, call_leg');
  });

  async function roundTrip(call: Call): Promise<Call> {
    await sut.save(call);
    const loaded = await sut.findById(ACCOUNT, call.id);
    expect(loaded).not.toBeNull();
    expect(loaded!.toSnapshot()).toEqual(call.toSnapshot());
    return loaded!;
  }

  it('round-trips a realistic call through every ledger state, with Dates revived', async () => {
    const events = realisticEvents();
    let call = startCall('call-1', 'CA-parent');
    for (const e of events) call.apply(e);
    call.applyModalResult({
      submissionId: 'sub-1',
      submittedAt: at(120),
      userId: 7,
      resultText: 'Customer wants a quote — "2026-01-01T00:00:00.000Z" is not a date to revive',
      callStatus: KommoCallStatus.CallBackLater,
    });
    expect(call.isAnswered).toBe(true);
    const fields = call.kommoFields!;
    expect(fields).not.toBeNull();

    call = await roundTrip(call);
    expect(call.version).toBe(1);
    const snapshot = call.toSnapshot();
    expect(snapshot.legs).toHaveLength(6);
    // Call.toSnapshot() clones with structuredClone, whose Dates belong to another realm than Jest's: no instanceof.
    const isDate = (value: unknown) => Object.prototype.toString.call(value) === '[object Date]';
    expect(snapshot.legs.filter((leg) => leg.endedAt !== null).every((leg) => isDate(leg.endedAt))).toBe(true);
    expect(isDate(snapshot.firstOccurredAt)).toBe(true);
    expect(isDate(snapshot.modalResult?.submittedAt)).toBe(true);
    expect(call.answeredAt).toEqual(at(8));
    expect(call.customerNumber).toBe(CUSTOMER);

    call.claimDelivery(KommoWriteTarget.CallsApi, fields, at(130));
    call = await roundTrip(call);
    expect(call.delivery.status).toBe(KommoDeliveryStatus.Sending);
    call.deliveryAmbiguous('socket hang up', at(131));
    call = await roundTrip(call);
    call.deliveryReconciledNotFound();
    call = await roundTrip(call);
    call.claimDelivery(KommoWriteTarget.CallsApi, fields, at(140));
    call = await roundTrip(call);
    call.deliverySent({ entity: { type: 'lead', id: 555 }, noteId: 9001 }, at(141));
    call.markCallbackHandled(null, at(142));
    call = await roundTrip(call);
    expect(call.delivery).toEqual({ status: KommoDeliveryStatus.Sent, note: { entity: { type: 'lead', id: 555 }, noteId: 9001 }, attempts: 2, at: at(141) });
    expect(call.callbackTask?.at).toEqual(at(142));
    expect(call.version).toBe(6);

    // An unknown number: a note on an earlier call's pending incoming lead.
    let lead = startCall('call-2', 'CA-lead');
    for (const e of realisticEvents('CA-lead')) lead.apply(e);
    const pendingLead = { unsortedUid: 'uid-1', leadId: 77 };
    lead.claimDelivery(KommoWriteTarget.PendingLeadNote, lead.kommoFields!, at(150), pendingLead);
    lead = await roundTrip(lead);
    lead.deliveryToIncomingLead(pendingLead, null, at(151));
    lead = await roundTrip(lead);
    lead.deliveryLeadNoteFound({ entity: { type: 'lead', id: 77 }, noteId: 3 });
    lead = await roundTrip(lead);
    expect(lead.delivery.status).toBe(KommoDeliveryStatus.UnknownNumberLead);

    let skipped = startCall('call-3', 'CA-skip');
    skipped.apply(event({ providerCallId: 'CA-skip', key: 'missed', state: CallState.Missed, occurredAt: at(5), endedAt: at(5) }));
    skipped.skipDelivery(DeliverySkipReason.UnknownNumberIgnored, at(6));
    skipped = await roundTrip(skipped);
    expect(skipped.delivery).toEqual({ status: KommoDeliveryStatus.Skipped, reason: DeliverySkipReason.UnknownNumberIgnored, at: at(6) });
  });

  it('finds a call by any of its legs and by a parent named by a child leg', async () => {
    const call = startCall('call-1', 'CA-child');
    call.apply(event({ providerCallId: 'CA-child', parentProviderCallId: 'CA-parent', key: 'ringing', state: CallState.Ringing }));
    await sut.save(call);

    expect((await sut.findByProviderCallId(ACCOUNT, VoipProvider.Twilio, 'CA-parent'))?.id).toBe('call-1');
    expect((await sut.findByProviderCallId(ACCOUNT, VoipProvider.Twilio, 'CA-child'))?.id).toBe('call-1');
    expect(await sut.findByProviderCallId(ACCOUNT, VoipProvider.GenericPbx, 'CA-parent')).toBeNull();
    expect(await sut.findByProviderCallId(ACCOUNT + 1, VoipProvider.Twilio, 'CA-parent')).toBeNull();
    expect(await sut.findById(ACCOUNT + 1, 'call-1')).toBeNull();
  });

  it('a child leg naming a known parent joins the parent\'s call', async () => {
    const parent = startCall('call-parent', 'CA-P');
    parent.apply(event({ providerCallId: 'CA-P', key: 'ringing', state: CallState.Ringing }));
    await sut.save(parent);
    const saveCallEvent = new SaveCallEventUseCase(sut, { enqueue: async () => undefined }, { token: () => 'never-used' });

    const result = await saveCallEvent.execute({
      event: event({ providerCallId: 'CA-C', parentProviderCallId: 'CA-P', key: 'answered', state: CallState.Answered, answeredAt: at(4) }),
    });

    expect(result).toMatchObject({ callId: 'call-parent', applied: true });
    expect((await sut.findByProviderCallId(ACCOUNT, VoipProvider.Twilio, 'CA-C'))?.id).toBe('call-parent');
    const [{ count }] = await dataSource.query<{ count: string }[]>('SELECT count(*) AS count FROM call');
    expect(Number(count)).toBe(1);
  });

  it('refuses a stale version and a second call holding one of the provider call ids', async () => {
    const call = startCall('call-1', 'CA-1');
    call.apply(event({ providerCallId: 'CA-1', key: 'ringing', state: CallState.Ringing }));
    await sut.save(call);
    const stale = (await sut.findById(ACCOUNT, 'call-1'))!;
    call.apply(event({ providerCallId: 'CA-1', key: 'missed', state: CallState.Missed }));
    await sut.save(call);
    stale.apply(event({ providerCallId: 'CA-1', key: 'completed', state: CallState.Completed }));
    await expect(sut.save(stale)).rejects.toBeInstanceOf(CallVersionConflictError);
    expect(stale.version).toBe(1);

    const duplicate = startCall('call-2', 'CA-1');
    await expect(sut.save(duplicate)).rejects.toBeInstanceOf(CallVersionConflictError);
    const sameId = startCall('call-1', 'CA-other');
    await expect(sut.save(sameId)).rejects.toBeInstanceOf(CallVersionConflictError);

    // A new leg added on update must be free too: CA-2 belongs to call-3.
    await sut.save(startCall('call-3', 'CA-2'));
    const fresh = (await sut.findById(ACCOUNT, 'call-1'))!;
    fresh.apply(event({ providerCallId: 'CA-2', parentProviderCallId: 'CA-1', key: 'ringing', state: CallState.Ringing }));
    await expect(sut.save(fresh)).rejects.toBeInstanceOf(CallVersionConflictError);

    const rows = await dataSource.query<{ id: string; version: number }[]>('SELECT id, version FROM call ORDER BY id');
    expect(rows).toEqual([{ id: 'call-1', version: 2 }, { id: 'call-3', version: 1 }]);
    const legs = await dataSource.query<{ provider_call_id: string; call_id: string }[]>(
      'SELECT provider_call_id, call_id FROM call_leg ORDER BY provider_call_id',
    );
    expect(legs).toEqual([{ provider_call_id: 'CA-1', call_id: 'call-1' }, { provider_call_id: 'CA-2', call_id: 'call-3' }]);
    expect((await sut.findById(ACCOUNT, 'call-1'))!.state).toBe(CallState.Missed);
  });

  it('lets exactly one of two racing first inserts of the same provider call id win', async () => {
    for (let round = 0; round < 10; round += 1) {
      const a = startCall(`call-a-${round}`, `CA-${round}`);
      const b = startCall(`call-b-${round}`, `CA-child-${round}`);
      a.apply(event({ providerCallId: `CA-${round}`, key: 'ringing', state: CallState.Ringing }));
      // b knows the same customer call only through its child leg naming CA-<round> as parent.
      b.apply(event({ providerCallId: `CA-child-${round}`, parentProviderCallId: `CA-${round}`, key: 'ringing', state: CallState.Ringing }));
      const results = await Promise.allSettled([sut.save(a), sut.save(b)]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((result) => result.status === 'rejected');
      expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(CallVersionConflictError);
    }
    const [{ count }] = await dataSource.query<{ count: string }[]>('SELECT count(*) AS count FROM call');
    expect(Number(count)).toBe(10);
    const orphans = await dataSource.query('SELECT * FROM call c WHERE NOT EXISTS (SELECT 1 FROM call_leg l WHERE l.call_id = c.id)');
    expect(orphans).toEqual([]);
  });

  it('20 concurrent SaveCallEvent writers on one call end with one call holding all 20 events', async () => {
    const random = { token: (bytes: number) => randomBytes(bytes).toString('base64url') };
    const tasks = { enqueue: async () => undefined };
    const saveCallEvent = new SaveCallEventUseCase(sut, tasks, random, { conflictAttempts: 500 });
    const parent = 'CA-race';
    const events: CallEvent[] = [];
    for (let i = 0; i < 20; i += 1) {
      events.push(
        i % 2 === 0
          ? event({ providerCallId: parent, key: `ringing:${i}`, state: CallState.Ringing, occurredAt: at(i), sequence: i })
          : event({
              providerCallId: `CA-race-child-${i}`,
              parentProviderCallId: parent,
              key: 'ringing',
              state: CallState.Ringing,
              occurredAt: at(i),
              agentExtension: `${100 + i}`,
            }),
      );
    }
    const results = await Promise.all(events.map((e) => saveCallEvent.execute({ event: e })));

    expect(results.every((result) => result.applied)).toBe(true);
    expect(new Set(results.map((result) => result.callId)).size).toBe(1);
    const rows = await dataSource.query<{ id: string; version: number }[]>('SELECT id, version FROM call');
    expect(rows).toHaveLength(1);
    expect(rows[0].version).toBe(20);
    const call = (await sut.findById(ACCOUNT, rows[0].id))!;
    expect(call.toSnapshot().eventKeys).toEqual(events.map((e) => e.idempotencyKey).sort());
    const [{ count }] = await dataSource.query<{ count: string }[]>('SELECT count(*) AS count FROM call_leg');
    expect(Number(count)).toBe(11);
  });

  it('existsAnsweredCallWithNumber: answered calls with that customer number after the given time', async () => {
    const answered = startCall('call-answered', 'CA-a');
    for (const e of realisticEvents('CA-a')) answered.apply(e);
    await sut.save(answered);
    const missed = startCall('call-missed', 'CA-m');
    missed.apply(event({ providerCallId: 'CA-m', key: 'ringing', caller: e164('+5511911112222'), state: CallState.Ringing, startedAt: at(500) }));
    missed.apply(event({ providerCallId: 'CA-m', key: 'missed', caller: e164('+5511911112222'), state: CallState.Missed, endedAt: at(530) }));
    await sut.save(missed);

    // answeredAt of the answered call is at(8) (the agent leg), not the parent's TwiML answer at(1).
    expect(await sut.existsAnsweredCallWithNumber(ACCOUNT, CUSTOMER, at(7))).toBe(true);
    expect(await sut.existsAnsweredCallWithNumber(ACCOUNT, CUSTOMER, at(8))).toBe(false);
    expect(await sut.existsAnsweredCallWithNumber(ACCOUNT + 1, CUSTOMER, at(0))).toBe(false);
    expect(await sut.existsAnsweredCallWithNumber(ACCOUNT, e164('+5511911112222'), at(0))).toBe(false);

    // No answer time known: startedAt counts.
    const noAnswerTime = startCall('call-no-answer-time', 'CA-n');
    noAnswerTime.apply(event({ providerCallId: 'CA-n', key: 'ringing', caller: e164('+5511933334444'), state: CallState.Ringing, startedAt: at(1000) }));
    noAnswerTime.apply(event({ providerCallId: 'CA-n', key: 'completed', caller: e164('+5511933334444'), state: CallState.Completed, durationSeconds: 30 }));
    expect(noAnswerTime.isAnswered).toBe(true);
    expect(noAnswerTime.answeredAt).toBeNull();
    await sut.save(noAnswerTime);
    expect(await sut.existsAnsweredCallWithNumber(ACCOUNT, e164('+5511933334444'), at(999))).toBe(true);
    expect(await sut.existsAnsweredCallWithNumber(ACCOUNT, e164('+5511933334444'), at(1000))).toBe(false);
  });
});
