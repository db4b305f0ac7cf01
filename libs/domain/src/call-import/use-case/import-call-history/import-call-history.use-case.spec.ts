import { FakeTaskQueue, FixedClock, InMemoryCallWebhookInbox } from '../../../../test/fakes';
import { InMemoryCallRepository } from '../../../../test/fakes/call';
import { VoipConnection, VoipProvider } from '../../../account-settings/voip-connection';
import { Call } from '../../../call/call';
import { CallDirection, CallState, createCallEvent } from '../../../call/call-event';
import { TaskName } from '../../../task/task';
import { CallWebhookKind } from '../../../voip-webhook/call-webhook-inbox.port';
import { CallHistoryRecord, CallHistorySource, CallHistoryWindow } from '../../call-history-source.port';
import { CallImportState, CallImportStateRepository } from '../../call-import-state.port';
import { ImportCallHistoryUseCase } from './import-call-history.use-case';

const CONNECTION: VoipConnection = {
  id: 'conn-1',
  accountId: 31000001,
  provider: VoipProvider.Twilio,
  pathKey: 'k'.repeat(32),
  credentials: {},
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
};

class ListedCalls implements CallHistorySource {
  readonly provider = VoipProvider.Twilio;
  readonly windows: CallHistoryWindow[] = [];
  failAfter: number | null = null;
  constructor(public records: CallHistoryRecord[]) {}
  async *listCalls(_connection: VoipConnection, window: CallHistoryWindow): AsyncIterable<CallHistoryRecord> {
    this.windows.push(window);
    for (const [index, record] of this.records.entries()) {
      if (this.failAfter !== null && index >= this.failAfter) throw new Error('provider 503');
      yield record;
    }
  }
}

class InMemoryImportState implements CallImportStateRepository {
  state: CallImportState | null = null;
  async find(): Promise<CallImportState | null> {
    return this.state;
  }
  async save(state: CallImportState): Promise<void> {
    this.state = state;
  }
}

const record = (id: string, overrides: Partial<CallHistoryRecord> = {}): CallHistoryRecord => ({
  providerCallId: id,
  kind: CallWebhookKind.TwilioCallLog,
  dedupeKey: `calllog:${id}:completed`,
  payload: { sid: id },
  hasRecording: false,
  ended: true,
  ...overrides,
});

describe('ImportCallHistoryUseCase', () => {
  let clock: FixedClock;
  let calls: InMemoryCallRepository;
  let inbox: InMemoryCallWebhookInbox;
  let queue: FakeTaskQueue;
  let state: InMemoryImportState;
  let source: ListedCalls;
  let sut: ImportCallHistoryUseCase;

  beforeEach(async () => {
    clock = new FixedClock('2026-11-24T12:00:00Z');
    calls = new InMemoryCallRepository();
    inbox = new InMemoryCallWebhookInbox();
    queue = new FakeTaskQueue();
    state = new InMemoryImportState();
    source = new ListedCalls([record('CA1'), record('CA2'), record('CA3')]);
    sut = new ImportCallHistoryUseCase([source], calls, inbox, queue, state, clock, { lookbackMs: 3_600_000, overlapMs: 600_000 });
    // CA2 came by webhook and is known already.
    const known = Call.start({ id: 'call-2', accountId: CONNECTION.accountId, provider: VoipProvider.Twilio, providerCallId: 'CA2', connectionId: CONNECTION.id });
    known.apply(createCallEvent({ idempotencyKey: 'k2', provider: VoipProvider.Twilio, accountId: CONNECTION.accountId, connectionId: CONNECTION.id, providerCallId: 'CA2', occurredAt: clock.now(), state: CallState.Completed, direction: CallDirection.Inbound, durationSeconds: 30 }));
    await calls.save(known);
  });

  it('feeds only the missing calls into the inbox and queue, and reports them', async () => {
    const report = await sut.execute({ connection: CONNECTION });
    expect(report).toMatchObject({ seen: 3, backfilled: 2, alreadyKnown: 1, inProgress: 0, backfilledCallIds: ['CA1', 'CA3'] });
    expect(inbox.rows.map((row) => [row.kind, row.dedupeKey])).toEqual([
      [CallWebhookKind.TwilioCallLog, 'calllog:CA1:completed'],
      [CallWebhookKind.TwilioCallLog, 'calllog:CA3:completed'],
    ]);
    expect(queue.enqueued.map((task) => [task.name, task.payload])).toEqual([
      [TaskName.ProcessCallWebhook, { inboxId: '1' }],
      [TaskName.ProcessCallWebhook, { inboxId: '2' }],
    ]);
  });

  it('is idempotent: a second run finds the fed entries at the inbox and feeds nothing', async () => {
    await sut.execute({ connection: CONNECTION });
    const second = await sut.execute({ connection: CONNECTION });
    expect(second).toMatchObject({ backfilled: 0, alreadyKnown: 3 });
    expect(inbox.rows).toHaveLength(2);
    expect(queue.enqueued).toHaveLength(2);
  });

  it('leaves calls in progress for later and feeds a known call once more only for a recording it lacks', async () => {
    source.records = [record('CA1', { ended: false }), record('CA2', { hasRecording: true, dedupeKey: 'calllog:CA2:rec' })];
    const report = await sut.execute({ connection: CONNECTION });
    expect(report).toMatchObject({ inProgress: 1, backfilled: 0, recordingsBackfilled: 1, alreadyKnown: 0 });
    expect(inbox.rows.map((row) => row.dedupeKey)).toEqual(['calllog:CA2:rec']);
  });

  it('windows: look-back first, then from the previous end minus the overlap; an explicit since wins', async () => {
    await sut.execute({ connection: CONNECTION });
    clock.advance(15 * 60_000);
    await sut.execute({ connection: CONNECTION });
    await sut.execute({ connection: CONNECTION, since: new Date('2026-11-20T00:00:00Z') });
    expect(source.windows.map((window) => [window.since.toISOString(), window.until.toISOString()])).toEqual([
      ['2026-11-24T11:00:00.000Z', '2026-11-24T12:00:00.000Z'],
      ['2026-11-24T11:50:00.000Z', '2026-11-24T12:15:00.000Z'],
      ['2026-11-20T00:00:00.000Z', '2026-11-24T12:15:00.000Z'],
    ]);
    expect(state.state).toMatchObject({ importedUntil: new Date('2026-11-24T12:15:00Z'), lastError: null });
  });

  it('a failing provider keeps the cursor where it was and records the error; what was fed stays fed', async () => {
    source.failAfter = 1;
    await expect(sut.execute({ connection: CONNECTION })).rejects.toThrow('provider 503');
    expect(state.state).toMatchObject({ importedUntil: null, lastError: 'provider 503', lastReport: expect.objectContaining({ backfilled: 1 }) });
    expect(inbox.rows).toHaveLength(1);
  });

  it('completes from the log a call that was seen ringing but whose end never arrived', async () => {
    const ringing = Call.start({ id: 'call-3', accountId: CONNECTION.accountId, provider: VoipProvider.Twilio, providerCallId: 'CA3', connectionId: CONNECTION.id });
    ringing.apply(createCallEvent({ idempotencyKey: 'k3', provider: VoipProvider.Twilio, accountId: CONNECTION.accountId, connectionId: CONNECTION.id, providerCallId: 'CA3', occurredAt: clock.now(), state: CallState.Ringing }));
    await calls.save(ringing);
    const report = await sut.execute({ connection: CONNECTION });
    expect(report).toMatchObject({ backfilled: 2, alreadyKnown: 1, backfilledCallIds: ['CA1', 'CA3'] });
  });

  it('does nothing for a provider without a call log', async () => {
    const pbx = { ...CONNECTION, provider: VoipProvider.GenericPbx };
    expect(sut.supports(pbx)).toBe(false);
    expect(await sut.execute({ connection: pbx })).toMatchObject({ seen: 0, backfilled: 0 });
    expect(inbox.rows).toHaveLength(0);
  });
});
