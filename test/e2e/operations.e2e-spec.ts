import { ALL_QUEUES, KOMMO_ACCOUNT_REPOSITORY, KOMMO_USER_REPOSITORY, REDIS, TASK_QUEUE, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import type { TaskQueue } from '@app/domain';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { Doctor } from '../../apps/cli/src/doctor/doctor';
import { replayInbox } from '../../apps/cli/src/commands/replay-inbox';
import { scenarioCalls } from '../../apps/cli/src/simulate/twilio-scenarios';
import { playTwilioCalls } from '../../apps/cli/src/simulate/twilio-webhook-player';
import { eventually, freePort } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const TWILIO = { accountSid: `AC${'c3'.repeat(16)}`, authToken: 'fedcba9876543210fedcba9876543210' };

/** Operations: health and readiness, /metrics of api and worker, tasks:replay, doctor and simulate on the real stack. */
describe('Operations: health, metrics, replay, doctor, simulate', () => {
  let stack: TestStack;
  let workerHealthUrl: string;
  let statusUrl: string;
  let sequence = 0;

  beforeAll(async () => {
    const port = await freePort();
    workerHealthUrl = `http://127.0.0.1:${port}`;
    stack = await startTestStack({ env: { WORKER_HEALTH_PORT: String(port) } });
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    statusUrl = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls.statusCallbackUrl;
  });

  const endCall = async (from: string = DEMO_ACCOUNT.phones.oneActiveLead) => {
    const params = {
      AccountSid: TWILIO.accountSid,
      CallSid: `CA${(0xe00000 + ++sequence).toString(16).padStart(32, '0')}`,
      CallStatus: 'completed',
      CallDuration: '21',
      Direction: 'inbound',
      From: from,
      To: '+14155550199',
      SequenceNumber: '2',
    };
    expect((await postTwilioWebhook(statusUrl, TWILIO.authToken, params)).status).toBe(204);
    return params.CallSid;
  };
  const loggedCalls = async () => (await stack.sandbox.call<{ calls: { uniq?: string }[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls;
  const text = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };
  const queues = () => ALL_QUEUES.map((name) => stack.api.get<Queue>(getQueueToken(name)));

  it('api and worker answer liveness and readiness (with queue lag), and expose Prometheus metrics of a logged call', async () => {
    expect(await text(`${stack.apiUrl}/health/live`)).toMatchObject({ status: 200 });
    const ready = JSON.parse((await text(`${stack.apiUrl}/health/ready`)).body) as { status: string; queues: { queue: string; lagSeconds: number }[] };
    expect(ready).toMatchObject({ status: 'ok', database: 'up', redis: 'up', lagging: [] });
    expect(ready.queues.map((queue) => queue.queue).sort()).toEqual([...ALL_QUEUES].sort());
    expect(await text(`${workerHealthUrl}/health/live`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(JSON.parse((await text(`${workerHealthUrl}/health/ready`)).body)).toMatchObject({ status: 'ok', database: 'up', redis: 'up' });
    expect((await text(`${workerHealthUrl}/nope`)).status).toBe(404);

    await endCall();
    await eventually(async () => (await loggedCalls()).length === 1, 15_000);
    await stack.drain();

    const api = await text(`${stack.apiUrl}/metrics`);
    expect(api.status).toBe(200);
    expect(api.type).toContain('text/plain');
    expect(api.body).toMatch(/kommo_voip_webhook_ack_duration_seconds_count\{provider="twilio",status="204"\} 1/);
    // Routes are labelled by pattern: the webhook's secret path key never becomes a label.
    expect(api.body).toContain('route="/voip/twilio/:pathKey/status"');
    expect(api.body).not.toContain(statusUrl.split('/')[5]);
    expect(api.body).toMatch(/kommo_voip_queue_jobs\{queue="call-logging",state="waiting"\} 0/);

    const worker = await text(`${workerHealthUrl}/metrics`);
    expect(worker.body).toMatch(/kommo_voip_job_duration_seconds_count\{queue="call-webhooks",task="voip.process-call-webhook",outcome="completed"\} 1/);
    expect(worker.body).toMatch(/kommo_voip_job_duration_seconds_count\{queue="call-logging",task="voip.add-call",outcome="completed"\} 1/);
    expect(worker.body).toMatch(/kommo_voip_kommo_requests_total\{method="POST",endpoint="\/api\/v4\/calls",status="200"\} 1/);
    expect(worker.body).toMatch(/^kommo_voip_calls_logged_total 1$/m);
    expect(worker.body).toContain('kommo_voip_process_resident_memory_bytes');
  });

  it('readiness answers 503 naming the dependency that is down', async () => {
    const redis = stack.api.get<{ ping: () => Promise<string> }>(REDIS);
    const ping = redis.ping;
    redis.ping = () => Promise.reject(new Error('Connection is closed.'));
    try {
      const response = await text(`${stack.apiUrl}/health/ready`);
      expect(response.status).toBe(503);
      expect(JSON.parse(response.body)).toMatchObject({ status: 'unavailable', database: 'up', redis: 'down', queues: null });
    } finally {
      redis.ping = ping;
    }
  });

  it('tasks:replay re-logs deliveries whose jobs Redis lost, and never logs a call twice', async () => {
    const windowStart = new Date(Date.now() - 1000);
    // Redis loses the queued jobs after the api acked and marked them enqueued (the relay cannot see them).
    await Promise.all(queues().map((queue) => queue.pause(false)));
    await endCall(DEMO_ACCOUNT.phones.noLead);
    await endCall(DEMO_ACCOUNT.phones.severalActiveLeads);
    await eventually(async () => Number((await stack.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM call_webhook_inbox WHERE enqueued_at IS NOT NULL'))[0].n) === 2);
    for (const queue of queues()) await queue.obliterate({ force: true });
    await Promise.all(queues().map((queue) => queue.resume(false)));
    await stack.drain();
    expect(await loggedCalls()).toHaveLength(0);

    const taskQueue = stack.api.get<TaskQueue>(TASK_QUEUE);
    const window = { accountId: DEMO.accountId, from: windowStart, to: new Date(Date.now() + 1000) };
    const progress: number[] = [];
    const first = await replayInbox({ dataSource: stack.dataSource, queue: taskQueue }, window, {}, (done) => progress.push(done));
    expect(first).toMatchObject({ deliveries: 2, enqueued: 2 });
    expect(progress).toEqual([1, 2]);
    await eventually(async () => (await loggedCalls()).length === 2, 15_000);
    await stack.drain();

    // Replaying again (and a window of another account) changes nothing in Kommo.
    expect((await replayInbox({ dataSource: stack.dataSource, queue: taskQueue }, window)).enqueued).toBe(2);
    expect((await replayInbox({ dataSource: stack.dataSource, queue: taskQueue }, { ...window, accountId: DEMO.accountId + 1 })).deliveries).toBe(0);
    await stack.drain();
    await new Promise((resolve) => setTimeout(resolve, 600)); // past the batch window
    const calls = await loggedCalls();
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((call) => call.uniq)).size).toBe(2);
    expect((await replayInbox({ dataSource: stack.dataSource, queue: taskQueue }, window, { dryRun: true })).enqueued).toBe(0);
  });

  it('doctor: everything OK on a healthy stack; extension drift and a blocked Kommo are reported', async () => {
    const doctor = () =>
      new Doctor({
        config: stack.config,
        dataSource: stack.dataSource,
        redis: stack.api.get(REDIS),
        queues: queues(),
        accounts: stack.api.get(KOMMO_ACCOUNT_REPOSITORY),
        users: stack.api.get(KOMMO_USER_REPOSITORY),
        connections: stack.api.get(VOIP_CONNECTION_REPOSITORY),
      });
    await stack.drain(); // the install's user sync
    const healthy = await doctor().run({ accountId: DEMO.accountId });
    const byName = Object.fromEntries(healthy.map((check) => [check.name, check]));
    expect(byName.database.status).toBe('ok');
    expect(['ok', 'warn']).toContain(byName.redis.status); // a dev Redis may evict: the doctor warns
    expect(byName['public URL']).toMatchObject({ status: 'ok' });
    expect(byName[`account ${DEMO.accountId} (demo) Kommo`]).toMatchObject({ status: 'ok' });
    expect(byName[`account ${DEMO.accountId} (demo) token`]).toMatchObject({ status: 'ok' });
    expect(byName[`account ${DEMO.accountId} (demo) webhooks`]).toMatchObject({ status: 'ok' });
    expect(JSON.stringify(healthy)).not.toContain(statusUrl.split('/')[5]); // the path key is shown shortened only

    await stack.dataSource.query(
      `INSERT INTO voip_extension (account_id, extension_key, extension, match_key, match_user, user_id, connection_id, updated_at) VALUES ($1, '104', '104', '104', '104', $2, NULL, now())`,
      [DEMO.accountId, DEMO.inactive],
    );
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'GET /api/v4/account', kind: 'status', status: 403, count: 1 });
    const sick = Object.fromEntries((await doctor().run({ accountId: DEMO.accountId })).map((check) => [check.name, check]));
    expect(sick[`account ${DEMO.accountId} (demo) extensions`]).toMatchObject({ status: 'warn', detail: expect.stringContaining('deactivated') });
    expect(sick[`account ${DEMO.accountId} (demo) Kommo`]).toMatchObject({ status: 'fail', detail: expect.stringContaining('403') });
    expect((await doctor().run({ accountId: 1 })).find((check) => check.name === 'accounts')).toMatchObject({ status: 'fail' });
  });

  it('simulate: a burst of signed Twilio calls is accepted and logged once each; a wrong auth token is refused', async () => {
    const calls = scenarioCalls({ scenario: 'burst', accountSid: TWILIO.accountSid, to: '+14155550199', count: 12, startedAt: new Date() });
    const result = await playTwilioCalls(calls, { publicUrl: statusUrl, authToken: TWILIO.authToken }, { concurrency: 6 });
    expect(result).toMatchObject({ calls: 12, deliveries: 36, accepted: 36, refused: {} });
    await eventually(async () => (await loggedCalls()).length === 12, 20_000);
    await stack.drain();
    expect((await loggedCalls()).length).toBe(12);

    const forged = await playTwilioCalls(scenarioCalls({ scenario: 'known', accountSid: TWILIO.accountSid, to: '+1415', count: 1, startedAt: new Date() }), {
      publicUrl: statusUrl,
      authToken: 'not-the-auth-token-of-this-account',
    }, { concurrency: 1 });
    expect(forged).toMatchObject({ accepted: 0, refused: { 403: 3 } }); // ringing, in-progress, completed: all refused
  });
});
