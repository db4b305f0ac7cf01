import { CALL_HISTORY_QUEUE_TOKEN, PROVIDER_STATE_REPOSITORY, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import type { CallHistoryQueue } from '@app/application';
import { ImportCallHistoryUseCase } from '@app/domain';
import type { VoipConnectionRepository } from '@app/domain';
import type { TypeOrmVoipProviderStateRepository } from '@app/persistence';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { CallHistoryScheduler } from '../../apps/worker/src/voip/import/call-history.scheduler';
import { importCalls, parseSince } from '../../apps/cli/src/commands/calls-import.command';
import { rcFixture, RingCentralFake, startRingCentralFake } from '../fakes/ringcentral-fake';
import { startTwilioCallLogFake, TwilioCallLogFake } from '../fakes/twilio-call-log-fake';
import { startZenviaFake, ZenviaFake, zenviaFixture } from '../fakes/zenvia-fake';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { postTwilioWebhook } from '../utils/voip';

const TWILIO = { accountSid: `AC${'b2'.repeat(16)}`, authToken: '0123456789abcdef0123456789abcdef' };
const RC = { clientId: 'rcClientId_0123456789', clientSecret: 'rcClientSecret_0123456789abcdef', jwt: 'eyJraWQiOiJhIn0.eyJzdWIiOiIxIn0.c2ln' };
const ZENVIA_TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/**
 * Reconciliation with the providers' call logs (offline fakes serving documented payloads): of three calls in a
 * log, the one already logged by webhook is skipped and exactly two notes appear; a second import adds nothing.
 * Runs through the CLI's import (`calls:import`) and the worker path the webhooks use.
 */
describe('Call-history import and reconciliation', () => {
  let stack: TestStack;
  let twilio: TwilioCallLogFake;
  let rc: RingCentralFake;
  let zenvia: ZenviaFake;
  let admin: string;
  let output: string[];

  beforeAll(async () => {
    twilio = await startTwilioCallLogFake(TWILIO);
    rc = await startRingCentralFake(RC);
    zenvia = await startZenviaFake(ZENVIA_TOKEN);
    stack = await startTestStack({ env: { TWILIO_API_BASE_URL: twilio.url, RINGCENTRAL_API_BASE_URL: rc.url, RINGCENTRAL_MEDIA_BASE_URL: rc.url, ZENVIA_API_BASE_URL: zenvia.url } });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await Promise.all([twilio?.close(), rc?.close(), zenvia?.close()]);
  });
  beforeEach(async () => {
    output = [];
    await freshInstall(stack, [DEMO.accountId]);
    admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
  });

  const connect = async (provider: string, credentials: Record<string, string>) => {
    const response = await fetch(`${stack.apiUrl}/widget/voip-connection`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ provider, credentials }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { connection: { webhookUrls: Record<string, string> } }).connection.webhookUrls;
  };
  const callNotes = async (entityType = 'leads', entityId: number = DEMO_ACCOUNT.leads.oneActive) =>
    (await stack.sandbox.call<{ notes: { noteType: string; params: Record<string, unknown> }[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=${entityType}&entityId=${entityId}`)).notes.filter((note) =>
      note.noteType.startsWith('call_'),
    );
  const runImport = (since = '2026-11-24T00:00:00Z') =>
    importCalls(
      {
        importCallHistory: stack.api.get(ImportCallHistoryUseCase, { strict: false }),
        connections: stack.api.get<VoipConnectionRepository>(VOIP_CONNECTION_REPOSITORY, { strict: false }),
        state: stack.api.get<TypeOrmVoipProviderStateRepository>(PROVIDER_STATE_REPOSITORY, { strict: false }),
      },
      { since: parseSince(since, new Date()), accountId: DEMO.accountId },
      (line) => output.push(line),
    );
  const settledNotes = async (count: number) => {
    await eventually(async () => ((await callNotes()).length >= count ? true : null), 15_000);
    await stack.drain();
    return callNotes();
  };

  it('Twilio: 3 calls in the Calls list, 1 already logged by webhook → exactly 2 new notes; a second import → 0', async () => {
    const urls = await connect('twilio', TWILIO);
    const known = twilio.calls[0];
    for (const [index, status] of ['ringing', 'in-progress', 'completed'].entries()) {
      const response = await postTwilioWebhook(urls.statusCallbackUrl, TWILIO.authToken, {
        AccountSid: TWILIO.accountSid,
        CallSid: String(known.sid),
        CallStatus: status,
        Direction: 'inbound',
        From: String(known.from),
        To: String(known.to),
        SequenceNumber: String(index),
        Timestamp: String(index === 2 ? known.end_time : known.start_time),
        ...(status === 'completed' ? { CallDuration: '42' } : {}),
      });
      expect(response.status).toBe(204);
    }
    expect(await settledNotes(1)).toHaveLength(1);

    twilio.pageSize = 2; // two pages: next_page_uri is followed
    const [first] = await runImport();
    expect(first).toMatchObject({ provider: 'twilio', seen: 3, backfilled: 2, alreadyKnown: 1, backfilledCallIds: [`CA${'c2'.repeat(16)}`, `CA${'c3'.repeat(16)}`] });
    expect(output.join('')).toContain('3 calls in the log, 2 backfilled');
    const after = await settledNotes(3);
    expect(after.map((note) => note.noteType).sort()).toEqual(['call_in', 'call_in', 'call_out']);
    expect(after.map((note) => note.params.duration).sort()).toEqual([0, 42, 65]);
    expect(twilio.requests.at(-1)?.path).toContain('Page=1');

    const [second] = await runImport();
    expect(second).toMatchObject({ seen: 3, backfilled: 0, alreadyKnown: 3 });
    await stack.drain();
    expect(await callNotes()).toHaveLength(3);
    // Twilio has no extension directory of its own: the mapping page gets an empty list.
    expect(await (await fetch(`${stack.apiUrl}/widget/extensions/provider`, { headers: { 'x-auth-token': admin } })).json()).toEqual({ provider: 'twilio', items: [] });
  }, 60_000);

  it('RingCentral: the call log backfills the two calls webhooks missed (and the recording of the known one), once', async () => {
    await connect('ringcentral', RC);
    const subscription = (await (
      await fetch(`${stack.apiUrl}/widget/voip-connection/provider-subscription`, { method: 'POST', headers: { 'x-auth-token': admin } })
    ).json()) as { subscription: { subscriptionId: string } };
    for (const name of ['setup', 'answered', 'disconnected']) {
      expect((await rc.deliver(subscription.subscription.subscriptionId, rcFixture(`telephony-session-inbound-${name}.json`))).status).toBe(200);
    }
    expect(await settledNotes(1)).toHaveLength(1);
    rc.callLog = rcFixture<{ records: Record<string, unknown>[] }>('call-log.json').records;
    rc.pageSize = 2;
    const [first] = await runImport();
    expect(first).toMatchObject({ provider: 'ringcentral', seen: 3, backfilled: 2, recordingsBackfilled: 1, alreadyKnown: 0 });
    const after = await settledNotes(3);
    expect(after).toHaveLength(3);
    // The webhook-logged call got its recording from the log: the same note, now with our link.
    await eventually(async () => ((await callNotes()).some((note) => typeof note.params.link === 'string') ? true : null), 15_000);
    const [second] = await runImport();
    expect(second).toMatchObject({ backfilled: 0, recordingsBackfilled: 0, alreadyKnown: 3 });
    await stack.drain();
    expect(await callNotes()).toHaveLength(3);
  }, 60_000);

  it('Zenvia: the call report backfills missing calls once; the state shows the last import to the admin', async () => {
    const { webhookUrl } = await connect('zenvia', { accessToken: ZENVIA_TOKEN });
    const report = zenviaFixture<{ dados: { relatorio: Record<string, unknown>[] } }>('chamada-relatorio.json').dados.relatorio;
    (report[0].destino as Record<string, unknown>).numero = DEMO_ACCOUNT.phones.oneActiveLead;
    zenvia.report = report;
    expect((await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report[0]) })).status).toBe(200);
    expect(await settledNotes(1)).toHaveLength(1);
    const [first] = await runImport('2d');
    expect(first).toMatchObject({ provider: 'zenvia', seen: 3, backfilled: 2, alreadyKnown: 1 });
    expect(await settledNotes(3)).toHaveLength(3);
    expect((await runImport('2d'))[0]).toMatchObject({ backfilled: 0 });
    const status = (await (await fetch(`${stack.apiUrl}/widget/voip-connection/provider-status`, { headers: { 'x-auth-token': admin } })).json()) as {
      callHistoryImport: { lastReport: { backfilled: number }; lastError: string | null };
    };
    expect(status.callHistoryImport).toMatchObject({ lastReport: { backfilled: 0 }, lastError: null });
  }, 60_000);

  it('the worker tick imports every connection in the background (the scheduled path)', async () => {
    await connect('twilio', TWILIO);
    twilio.pageSize = 50;
    const queue = stack.worker.get<CallHistoryQueue>(CALL_HISTORY_QUEUE_TOKEN, { strict: false });
    // The first scheduled run looks back CALL_HISTORY_IMPORT_LOOKBACK_MINUTES; the fixture's calls are older, so
    // the cursor is moved back as a previous run would have left it.
    await stack.api.get<TypeOrmVoipProviderStateRepository>(PROVIDER_STATE_REPOSITORY, { strict: false }).save({
      connectionId: (await stack.api.get<VoipConnectionRepository>(VOIP_CONNECTION_REPOSITORY, { strict: false }).findForAccount(DEMO.accountId))!.id,
      accountId: DEMO.accountId,
      importedUntil: new Date('2026-11-24T08:00:00Z'),
      lastRunAt: null,
      lastReport: null,
      lastError: null,
    });
    await queue.add('tick', {}, { removeOnComplete: true });
    expect(await settledNotes(3)).toHaveLength(3);
    await eventually(async () => {
      const current = (await (await fetch(`${stack.apiUrl}/widget/voip-connection/provider-status`, { headers: { 'x-auth-token': admin } })).json()) as {
        callHistoryImport: { lastReport: { backfilled: number } } | null;
      };
      return current.callHistoryImport?.lastReport.backfilled === 3 ? true : null;
    }, 10_000);
  }, 60_000);

  it('schedules one repeatable tick at the configured interval (and none when it is 0)', async () => {
    const queue = stack.worker.get<CallHistoryQueue>(CALL_HISTORY_QUEUE_TOKEN, { strict: false });
    const scheduler = (minutes: number) => new CallHistoryScheduler(queue, { ...stack.config, providers: { ...stack.config.providers, callHistoryImportIntervalMinutes: minutes } });
    await scheduler(15).onApplicationBootstrap();
    await scheduler(15).onApplicationBootstrap();
    expect((await queue.getRepeatableJobs()).map((job) => [job.name, Number(job.every)])).toEqual([['tick', 900_000]]);
    await scheduler(5).onApplicationBootstrap();
    expect((await queue.getRepeatableJobs()).map((job) => [job.name, Number(job.every)])).toEqual([['tick', 300_000]]);
    await scheduler(0).onApplicationBootstrap();
    expect(await queue.getRepeatableJobs()).toEqual([]);
  }, 30_000);
});
