import { KommoWriteNotAppliedError } from '@app/domain';
import { RunningSandbox, startKommoSandbox } from '../../../../apps/kommo-sandbox/src/sandbox.bootstrap';
import { DEMO_ACCOUNT } from '../../../../apps/kommo-sandbox/src/seed/demo.seed';
import { KommoApiError } from '../kommo.errors';
import { KommoCallLogAdapter } from './kommo-call-log.adapter';
import { KommoIncomingLeadsAdapter } from './kommo-incoming-leads.adapter';
import { KommoWriteRefusedError } from './kommo-raw-api.client';
import { KommoTasksClient } from './kommo-tasks.client';
import { callRecord, KommoSandboxHarness, SANDBOX_INTEGRATION } from './testing/kommo-sandbox.harness';

const D = DEMO_ACCOUNT;

/** Write failures: sure-not-stored → KommoWriteNotAppliedError; maybe-stored → anything else (the domain reconciles). */
describe('Kommo call adapters under sandbox faults', () => {
  let sandbox: RunningSandbox;
  let kommo: KommoSandboxHarness;
  let calls: KommoCallLogAdapter;

  beforeAll(async () => {
    sandbox = await startKommoSandbox({ port: 0, mode: 'test', seed: 'demo', logger: false, integration: SANDBOX_INTEGRATION });
    kommo = new KommoSandboxHarness(sandbox.url, { requestTimeoutMs: 1000 });
    calls = new KommoCallLogAdapter(kommo.http, kommo.tokens);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => kommo.reset([D]));

  const storedCalls = async () => (await kommo.control<{ calls: unknown[] }>('GET', `/accounts/${D.id}/calls`)).calls.length;
  const failureOf = (promise: Promise<unknown>) => promise.then(() => new Error('resolved'), (error: unknown) => error);

  it.each([
    ['500', { kind: '5xx', status: 500 }, 500],
    ['502 (HTML body)', { kind: '5xx', status: 502, body: 'html' }, 502],
    ['504 for a large batch', { kind: 'batch504', maxItems: 1 }, 504],
  ])('%s on /calls is ambiguous (not NotApplied)', async (_name, fault, status) => {
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/calls', count: 1, ...fault });

    const error = await failureOf(calls.logCalls(D.id, [callRecord(D.phones.oneActiveLead), callRecord(D.phones.noLead)]));

    expect(error).not.toBeInstanceOf(KommoWriteNotAppliedError);
    expect(error).toBeInstanceOf(KommoApiError);
    expect((error as KommoApiError).status).toBe(status);
    expect((error as KommoApiError).retryable).toBe(true);
  });

  it('a write whose send window is over is not sent: not applied, and Kommo saw no request', async () => {
    const posts = async () => (await kommo.control<{ counts: Record<string, number> }>('GET', `/accounts/${D.id}/requests`)).counts['POST /api/v4/calls'] ?? 0;
    const leads = new KommoIncomingLeadsAdapter(kommo.http, kommo.tokens);
    const over = { sendBy: new Date(Date.now() - 1) };

    const error = await failureOf(calls.logCalls(D.id, [callRecord(D.phones.oneActiveLead)], over));
    const leadError = await failureOf(leads.createSip(D.id, callRecord(D.phones.unknown), over));

    for (const failure of [error, leadError]) {
      expect(failure).toBeInstanceOf(KommoWriteNotAppliedError);
      expect((failure as KommoWriteRefusedError).status).toBeNull();
      expect((failure as Error).message).toContain('send deadline passed');
    }
    expect(await posts()).toBe(0);
    expect(await storedCalls()).toBe(0);
    // Within its window the same write goes out.
    await expect(calls.logCalls(D.id, [callRecord(D.phones.oneActiveLead)], { sendBy: new Date(Date.now() + 5_000) })).resolves.toMatchObject([{ kind: 'logged' }]);
  });

  it('a timeout on /calls is ambiguous', async () => {
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/calls', kind: 'hang', count: 1 });

    const error = await failureOf(calls.logCalls(D.id, [callRecord(D.phones.oneActiveLead)]));

    expect(error).not.toBeInstanceOf(KommoWriteNotAppliedError);
    expect(error).toBeInstanceOf(KommoApiError);
    expect((error as KommoApiError).status).toBeNull();
    // KommoHttp says "timeout" in production; under jest the abort DOMException comes from another realm
    // (not `instanceof Error` there), so it reads "connection failed". Both are ambiguous, which is what matters.
    expect(['timeout', 'connection failed']).toContain((error as KommoApiError).detail);
  });

  it('a connection dropped after Kommo stored the call is ambiguous, and the read-back finds the note', async () => {
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/calls', kind: 'commit-then-drop', count: 1 });
    const record = callRecord(D.phones.oneActiveLead);

    const error = await failureOf(calls.logCalls(D.id, [record]));

    expect(error).not.toBeInstanceOf(KommoWriteNotAppliedError);
    expect(await storedCalls()).toBe(1);
    const found = await calls.findCallNoteByUniq(D.id, { uniq: record.uniq, phone: record.phone, direction: record.direction });
    expect(found).toEqual({ entity: { type: 'lead', id: D.leads.oneActive }, noteId: expect.any(Number) });
  });

  it('a 429 storm on /calls is KommoWriteNotAppliedError and nothing is stored', async () => {
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/calls', kind: 'rate429' });

    for (const body of ['json', 'html']) {
      await kommo.control('DELETE', '/faults');
      await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/calls', kind: 'rate429', body });
      const error = await failureOf(calls.logCalls(D.id, [callRecord(D.phones.oneActiveLead)]));
      expect(error).toBeInstanceOf(KommoWriteNotAppliedError);
      expect(error).toMatchObject({ status: 429, retryable: true });
    }
    expect(await storedCalls()).toBe(0);
  });

  it('403 (block) and 402 (payment) are KommoWriteNotAppliedError with the status for the worker', async () => {
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/calls', kind: 'status', status: 403, count: 1 });
    expect(await failureOf(calls.logCalls(D.id, [callRecord(D.phones.oneActiveLead)]))).toMatchObject({ status: 403 });

    await kommo.control('POST', `/accounts/${D.id}/payment`, { required: true });
    const error = await failureOf(calls.logCalls(D.id, [callRecord(D.phones.oneActiveLead)]));
    expect(error).toBeInstanceOf(KommoWriteRefusedError);
    expect(error).toBeInstanceOf(KommoWriteNotAppliedError);
    expect(error).toMatchObject({ status: 402 });
    expect(await storedCalls()).toBe(0);
  });

  it('the other writes follow the same contract', async () => {
    const leads = new KommoIncomingLeadsAdapter(kommo.http, kommo.tokens);
    const tasks = new KommoTasksClient(kommo.http, kommo.tokens);
    const note = { entity: { type: 'lead' as const, id: D.leads.oneActive }, noteId: 1 };

    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/leads/unsorted/sip', kind: '5xx', count: 1 });
    expect(await failureOf(leads.createSip(D.id, callRecord(D.phones.unknown)))).not.toBeInstanceOf(KommoWriteNotAppliedError);
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/leads/notes', kind: 'rate429', count: 1 });
    expect(await failureOf(calls.addCallNote(D.id, note.entity, callRecord(D.phones.unknown)))).toBeInstanceOf(KommoWriteNotAppliedError);
    await kommo.fault({ accountId: D.id, endpoint: 'PATCH /api/v4/leads/notes/*', kind: 'hang', count: 1 });
    expect(await failureOf(calls.updateCallNote(D.id, note, callRecord(D.phones.unknown)))).not.toBeInstanceOf(KommoWriteNotAppliedError);
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/tasks', kind: 'status', status: 403, count: 1 });
    const task = { text: 'Call back', responsibleUserId: null, completeTill: new Date(Date.now() + 3600_000), entity: null };
    expect(await failureOf(tasks.create(D.id, task))).toBeInstanceOf(KommoWriteNotAppliedError);
    await kommo.fault({ accountId: D.id, endpoint: 'POST /api/v4/tasks', kind: '5xx', status: 503, count: 1 });
    expect(await failureOf(tasks.create(D.id, task))).not.toBeInstanceOf(KommoWriteNotAppliedError);
  });
});
