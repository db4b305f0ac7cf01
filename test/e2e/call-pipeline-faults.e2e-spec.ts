import { QueueName } from '@app/application';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall, installAccount } from '../utils/kommo-install';
import { connectVoip, postTwilioWebhook } from '../utils/voip';
import { ACME, DEMO, startTestStack, TestStack } from '../utils/test-stack';

const TWILIO = { accountSid: `AC${'d5'.repeat(16)}`, authToken: '00112233445566778899aabbccddeeff' };

interface RequestLog {
  counts: Record<string, Record<string, number>>;
  refusals: { status: number }[];
  blocked: unknown;
}

/** Kommo misbehaving (sandbox fault injection): every call still lands exactly once. */
describe('Call pipeline when Kommo fails', () => {
  let stack: TestStack;
  let url: string;
  let sequence = 0;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    await stack.drain();
    url = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls
      .statusCallbackUrl;
  });

  const endCall = async (from: string) => {
    const params = {
      AccountSid: TWILIO.accountSid,
      CallSid: `CA${(0xf00000 + ++sequence).toString(16).padStart(32, '0')}`,
      CallStatus: 'completed',
      CallDuration: '33',
      Direction: 'inbound',
      From: from,
      To: '+14155550199',
      SequenceNumber: '2',
    };
    expect((await postTwilioWebhook(url, TWILIO.authToken, params)).status).toBe(204);
    return params.CallSid;
  };
  const loggedCalls = async () => (await stack.sandbox.call<{ calls: { uniq?: string }[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls;
  const callNotes = async (entityType: string, entityId: number) =>
    (await stack.sandbox.call<{ notes: { noteType: string }[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=${entityType}&entityId=${entityId}`)).notes.filter(
      (note) => note.noteType.startsWith('call_'),
    );

  it('Kommo stores the call but the connection drops: reconciled by reading back, never logged twice', async () => {
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'POST /api/v4/calls', kind: 'commit-then-drop', count: 1 });
    await endCall(DEMO_ACCOUNT.phones.oneActiveLead);

    await eventually(async () => (await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).length > 0, 30_000);
    await stack.drain(30_000);
    expect(await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).toHaveLength(1);
    expect(await loggedCalls()).toHaveLength(1);
  }, 60_000);

  it('30% 429s and 20% 5xx on /calls: every call logged exactly once, and Kommo never blocks us (no 403)', async () => {
    // Certain failures first (so the storm happens whatever the batch count), then random ones.
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'POST /api/v4/calls', kind: 'status', status: 429, count: 2 });
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'POST /api/v4/calls', kind: 'rate429', rate: 0.3, body: 'html' });
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'POST /api/v4/calls', kind: '5xx', rate: 0.2 });
    const callers = [DEMO_ACCOUNT.phones.oneActiveLead, DEMO_ACCOUNT.phones.severalActiveLeads, DEMO_ACCOUNT.phones.noLead, DEMO_ACCOUNT.phones.company];
    const total = 40;
    const sids: string[] = [];
    for (let index = 0; index < total; index += 1) sids.push(await endCall(callers[index % callers.length]));

    await eventually(async () => new Set((await loggedCalls()).map((call) => call.uniq)).size >= total, 90_000, 250);
    await stack.sandbox.clearFaults();
    await stack.drain(60_000);
    const calls = await loggedCalls();
    expect(calls).toHaveLength(total); // one per call: retries never doubled one
    expect(new Set(calls.map((call) => call.uniq)).size).toBe(total);
    const log = await stack.sandbox.call<RequestLog>('GET', `/requests?accountId=${DEMO.accountId}`);
    expect(log.refusals.filter((refusal) => refusal.status === 403)).toEqual([]);
    expect(log.refusals.filter((refusal) => refusal.status === 429).length).toBeGreaterThan(0); // the storm did happen
    expect(log.counts[String(DEMO.accountId)]?.['POST /api/v4/calls']).toBeGreaterThan(1);
  }, 120_000);

  it('keeps calls of an account that needs re-authorisation and logs them once it is re-authorised', async () => {
    await stack.sandbox.revokeGrant(DEMO.accountId);
    await stack.dataSource.query(`UPDATE kommo_account SET token_expires_at = now() + interval '10 seconds' WHERE id = $1`, [DEMO.accountId]);
    await endCall(DEMO_ACCOUNT.phones.noLead);

    // The call's Kommo work is parked durably, not failed and not retried in a loop.
    await eventually(async () => Number((await stack.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM parked_task'))[0].n) > 0, 30_000);
    expect(await loggedCalls()).toHaveLength(0);

    await installAccount(stack, DEMO.accountId); // the admin re-authorises
    await eventually(async () => (await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead)).length > 0, 30_000);
    await stack.drain(30_000);
    expect(await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead)).toHaveLength(1);
    expect(Number((await stack.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM parked_task'))[0].n)).toBe(0);
  }, 90_000);

  it('504 on large batches: smaller batches go through, every call logged once', async () => {
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'POST /api/v4/calls', kind: 'batch504', maxItems: 20 });
    const callers = [DEMO_ACCOUNT.phones.oneActiveLead, DEMO_ACCOUNT.phones.severalActiveLeads, DEMO_ACCOUNT.phones.noLead, DEMO_ACCOUNT.phones.company];
    const total = 30; // one batch of 30 > 20 → 504 → ambiguous: read back, then batches of 15
    await Promise.all(Array.from({ length: total }, (_, index) => endCall(callers[index % callers.length])));

    await eventually(async () => new Set((await loggedCalls()).map((call) => call.uniq)).size >= total, 90_000, 250);
    await stack.drain(60_000);
    const calls = await loggedCalls();
    expect(calls).toHaveLength(total);
    expect(new Set(calls.map((call) => call.uniq)).size).toBe(total);
    const log = await stack.sandbox.call<RequestLog>('GET', `/requests?accountId=${DEMO.accountId}`);
    expect(log.counts[String(DEMO.accountId)]?.['POST /api/v4/calls']).toBeGreaterThanOrEqual(3); // the refused big batch + smaller ones
  }, 120_000);

  it('Kommo blocks one account (403 on everything): its calls are parked and it shows as blocked; other accounts go on', async () => {
    // ACME: a second account of the same integration, with its own Twilio connection.
    await installAccount(stack, ACME.accountId);
    const acmeUrl = (await connectVoip(stack, { accountId: ACME.accountId, adminId: ACME.admin, provider: 'twilio', credentials: TWILIO })).connection
      .webhookUrls.statusCallbackUrl;
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: '* /api/*', kind: 'status', status: 403, count: 10_000 });

    await endCall(DEMO_ACCOUNT.phones.oneActiveLead);
    await eventually(async () => Number((await stack.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM parked_task'))[0].n) > 0, 30_000);
    const [row] = await stack.dataSource.query<{ status: string; status_reason: string }[]>('SELECT status, status_reason FROM kommo_account WHERE id = $1', [DEMO.accountId]);
    expect(row).toMatchObject({ status: 'blocked' });
    const widgetView = (await (
      await fetch(`${stack.apiUrl}/widget/account`, { headers: { 'x-auth-token': await stack.sandbox.jwt(DEMO.accountId, DEMO.admin) } })
    ).json()) as { status: string; statusReason: string; parkedTasks: number };
    expect(widgetView).toMatchObject({ status: 'blocked', parkedTasks: 1 });
    expect(widgetView.statusReason).toContain('403');

    // The other account is not affected.
    const params = { AccountSid: TWILIO.accountSid, CallSid: `CA${'a'.repeat(31)}1`, CallStatus: 'completed', CallDuration: '5', Direction: 'inbound', From: '+5511987650000', To: '+14155550199', SequenceNumber: '2' };
    expect((await postTwilioWebhook(acmeUrl, TWILIO.authToken, params)).status).toBe(204);
    await eventually(async () => {
      const calls = (await stack.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${ACME.accountId}/calls`)).calls;
      const unsorted = (await stack.sandbox.call<{ unsorted: unknown[] }>('GET', `/accounts/${ACME.accountId}/unsorted`)).unsorted;
      return calls.length + unsorted.length > 0;
    }, 30_000);

    // Kommo lifts the block; the admin authorises again: the parked call is logged, once.
    await stack.sandbox.clearFaults();
    await installAccount(stack, DEMO.accountId);
    await eventually(async () => (await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).length > 0, 30_000);
    await stack.drain(30_000);
    expect(await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).toHaveLength(1);
  }, 90_000);

  it('a call received just before the integration is uninstalled is kept and logged after it is installed again', async () => {
    const logging = stack.api.get<Queue>(getQueueToken(QueueName.CallLogging));
    await logging.pause(false);
    await endCall(DEMO_ACCOUNT.phones.oneActiveLead);
    await eventually(async () => (await logging.getWaitingCount()) > 0, 15_000); // AddCall queued, not run yet
    expect((await stack.sandbox.uninstall(DEMO.accountId)).status).toBe(200);
    await logging.resume(false);

    await eventually(async () => Number((await stack.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM parked_task'))[0].n) > 0, 30_000);
    expect(await loggedCalls()).toHaveLength(0);

    await installAccount(stack, DEMO.accountId);
    await eventually(async () => (await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).length > 0, 30_000);
    await stack.drain(30_000);
    expect(await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).toHaveLength(1);
  }, 90_000);
});
