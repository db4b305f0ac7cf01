import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const TWILIO = { accountSid: `AC${'c3'.repeat(16)}`, authToken: 'fedcba9876543210fedcba9876543210' };
const MANAGER2 = DEMO_ACCOUNT.users.manager2;

/**
 * Smart forwarding on the Twilio Voice URL: the caller's responsible manager in Kommo (the sandbox) rings, else the
 * ring group; TwiML within 2 s when Kommo is slow; switchable per account. Settings of the routing in the widget.
 */
describe('Smart forwarding (Twilio Voice URL)', () => {
  let stack: TestStack;
  let voiceUrl: string;
  let admin: string;
  let sequence = 0;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    voiceUrl = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls.voiceUrl;
    await stack.drain(); // users synced
    admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const mapped = await widget('PUT', '/widget/extensions', admin, {
      users: { [DEMO.manager]: 'client:manager_1002', [MANAGER2]: '+1 (415) 555-0111', [DEMO.admin]: 'sip:admin@PBX.example.com' },
    });
    expect(mapped.status).toBe(200);
  });

  const widget = (method: 'GET' | 'PUT' | 'PATCH', path: string, token: string, body?: unknown) =>
    fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ring = async (from: string) => {
    const callSid = `CA${(++sequence).toString(16).padStart(32, '0')}`;
    const started = Date.now();
    const response = await postTwilioWebhook(voiceUrl, TWILIO.authToken, {
      AccountSid: TWILIO.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: callSid,
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: from,
      To: '+14155550199',
    });
    expect(response.status).toBe(200);
    return { twiml: await response.text(), ms: Date.now() - started };
  };
  const dialled = (twiml: string) => [...twiml.matchAll(/<(Client|Number|Sip)[^>]*>([^<]+)<\/\1>/g)].map((match) => match[2]).sort();
  const RING_GROUP = ['+14155550111', 'manager_1002', 'sip:admin@pbx.example.com'];

  it('rings only the manager responsible for the caller: the active lead\'s, else the contact\'s', async () => {
    const john = await ring(DEMO_ACCOUNT.phones.oneActiveLead); // lead 410001 → manager 1002
    expect(dialled(john.twiml)).toEqual(['manager_1002']);
    expect(john.twiml).toContain('timeout="25"');
    expect(john.twiml).toContain(`action="${voiceUrl}/dial-ended"`);

    const maria = await ring(DEMO_ACCOUNT.phones.severalActiveLeads); // two open leads → the contact's owner 1003
    expect(dialled(maria.twiml)).toEqual(['+14155550111']);
    const emma = await ring(DEMO_ACCOUNT.phones.onlyClosedLeads); // only won/lost leads → the contact's owner (admin)
    expect(dialled(emma.twiml)).toEqual(['sip:admin@pbx.example.com']);
    const globex = await ring(DEMO_ACCOUNT.phones.company); // no contact has it: the company's owner (admin)
    expect(dialled(globex.twiml)).toEqual(['sip:admin@pbx.example.com']);
  }, 60_000);

  it('rings the ring group for an unknown caller, and for a number that only shares digits with a contact', async () => {
    expect(dialled((await ring(DEMO_ACCOUNT.phones.unknown)).twiml)).toEqual(RING_GROUP);
    // Same last 7 digits as John's +1 (415) 555-0100: Kommo's ?query= finds John, the E.164 check does not.
    expect(dialled((await ring('+13125550100')).twiml)).toEqual(RING_GROUP);

    expect((await widget('PATCH', '/widget/settings', admin, { defaultRingGroup: [MANAGER2], ringSeconds: 40 })).status).toBe(200);
    const grouped = await ring(DEMO_ACCOUNT.phones.unknown);
    expect(dialled(grouped.twiml)).toEqual(['+14155550111']);
    expect(grouped.twiml).toContain('timeout="40"');
  }, 60_000);

  it('answers within 2 s with the ring group when Kommo is slow (5 s)', async () => {
    await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'GET /api/v4/contacts', kind: 'latency', ms: 5000, count: 50 });
    // Pedro's contact belongs to the admin (only sip:admin would ring); not looked up before (the lookup cache is 30 s).
    const slow = await ring(DEMO_ACCOUNT.phones.noLead);
    expect(slow.ms).toBeLessThan(2000);
    expect(dialled(slow.twiml)).toEqual(RING_GROUP);
  }, 60_000);

  it('rings the ring group when smart forwarding is switched off; a responsible manager who is not mapped falls back too', async () => {
    expect((await widget('PATCH', '/widget/settings', admin, { smartForwardingEnabled: false })).status).toBe(200);
    expect(dialled((await ring(DEMO_ACCOUNT.phones.oneActiveLead)).twiml)).toEqual(RING_GROUP);

    expect((await widget('PATCH', '/widget/settings', admin, { smartForwardingEnabled: true })).status).toBe(200);
    expect((await widget('PUT', '/widget/extensions', admin, { users: { [MANAGER2]: '+14155550111', [DEMO.manager]: '' } })).status).toBe(200);
    expect(dialled((await ring(DEMO_ACCOUNT.phones.oneActiveLead)).twiml)).toEqual(['+14155550111']);
  }, 60_000);

  it('keeps the routing settings: defaults, admin-only writes, 400 for bad values', async () => {
    const manager = await stack.sandbox.jwt(DEMO.accountId, DEMO.manager);
    const read = (await (await widget('GET', '/widget/settings', manager)).json()) as { settings: Record<string, unknown> };
    expect(read.settings).toMatchObject({
      smartForwardingEnabled: true,
      defaultRingGroup: [],
      ringSeconds: 25,
      kommoCallNotifications: false,
      openLeadOnAnswer: true,
      callResultModal: true,
      autoRedial: false,
    });
    expect((await widget('PATCH', '/widget/settings', manager, { ringSeconds: 30 })).status).toBe(403);
    for (const bad of [{ ringSeconds: 4 }, { ringSeconds: 121 }, { defaultRingGroup: [DEMO_ACCOUNT.users.inactive] }, { defaultRingGroup: [424242] }, { autoRedial: 'yes' }]) {
      const refused = await widget('PATCH', '/widget/settings', admin, bad);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toMatch(/ringSeconds|defaultRingGroup|autoRedial/);
    }
    const saved = await widget('PATCH', '/widget/settings', admin, {
      defaultRingGroup: [DEMO.manager, DEMO.manager],
      kommoCallNotifications: true,
      openLeadOnAnswer: false,
      callResultModal: false,
      autoRedial: true,
    });
    expect(saved.status).toBe(200);
    const after = (await (await widget('GET', '/widget/settings', manager)).json()) as { settings: Record<string, unknown> };
    expect(after.settings).toMatchObject({ defaultRingGroup: [DEMO.manager], kommoCallNotifications: true, openLeadOnAnswer: false, callResultModal: false, autoRedial: true });
  }, 60_000);
});
