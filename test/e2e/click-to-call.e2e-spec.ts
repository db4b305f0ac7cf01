import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { TwilioRestFake } from '../fakes/twilio-rest-fake';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const HEX = '0123456789abcdef0123456789abcdef';
const TWILIO = {
  accountSid: `AC${'c3'.repeat(16)}`,
  authToken: HEX,
  apiKeySid: `SK${HEX}`,
  apiKeySecret: 'AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  twimlAppSid: `AP${HEX}`,
  callerId: '+14155550123',
};
const MANAGER_PHONE = '+14155550111';
const MANAGER_CLIENT = 'anna_1002';

interface Note {
  responsibleUserId: number;
  createdBy: number;
  noteType: string;
  params: Record<string, unknown>;
}

/**
 * Click-to-call from the widget (POST /widget/calls) and the TwiML routes Twilio requests for managers' outgoing
 * calls, on the real api + worker + sandbox; Twilio's REST Calls resource is a local fake, its webhooks are
 * signed with the official `twilio` package.
 */
describe('Click-to-call: widget → Twilio → call_out note', () => {
  let stack: TestStack;
  let twilio: TwilioRestFake;
  let urls: Record<string, string>;
  let sequence = 0;

  beforeAll(async () => {
    twilio = new TwilioRestFake({ accountSid: TWILIO.accountSid, users: { [TWILIO.apiKeySid]: TWILIO.apiKeySecret, [TWILIO.accountSid]: TWILIO.authToken } });
    await twilio.start();
    stack = await startTestStack({ env: { TWILIO_API_BASE_URL: twilio.url, TWILIO_API_TIMEOUT_MS: '800' } });
  });
  afterAll(async () => {
    await stack.close();
    await twilio.close();
  });
  beforeEach(async () => {
    twilio.reset();
    await freshInstall(stack, [DEMO.accountId]);
    await stack.drain(); // users synced (the extension map needs them)
    urls = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls;
    await mapExtensions([
      { extension: MANAGER_PHONE, userId: DEMO.manager },
      { extension: `client:${MANAGER_CLIENT}`, userId: DEMO.manager },
      { extension: '103', userId: DEMO_ACCOUNT.users.manager2 },
    ]);
  });

  const sid = () => `CA${(++sequence).toString(16).padStart(32, '0')}`;
  const mapExtensions = async (extensions: { extension: string; userId: number }[]) => {
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const response = await fetch(`${stack.apiUrl}/widget/extensions`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ extensions }),
    });
    expect(response.status).toBe(200);
  };
  const placeCall = async (body: unknown, userId: number = DEMO.manager) => {
    const token = await stack.sandbox.jwt(DEMO.accountId, userId);
    const response = await fetch(`${stack.apiUrl}/widget/calls`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const callNotes = async (entityType: string, entityId: number) =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=${entityType}&entityId=${entityId}`)).notes.filter((note) =>
      note.noteType.startsWith('call_'),
    );
  const outboundBase = () => urls.twimlAppVoiceUrl.replace(/\/outbound$/, '');
  const statusOf = (params: Record<string, string>) => postTwilioWebhook(urls.statusCallbackUrl, TWILIO.authToken, { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', ...params });

  it('callback mode: Twilio rings the manager first (Calls.json), bridges the customer, and the call is logged once as call_out credited to the manager', async () => {
    const placed = await placeCall({ phone: '+55 11 91234-5678', mode: 'callback', entity: { type: 'contact', id: DEMO_ACCOUNT.contacts.noLead } });
    expect(placed.status).toBe(202);
    expect(placed.body).toEqual({ mode: 'callback', providerCallId: expect.stringMatching(/^CA[0-9a-f]{32}$/) });
    expect(twilio.requests).toHaveLength(1);
    const [request] = twilio.requests;
    const bridgeUrl = `${outboundBase()}/outbound-bridge?to=%2B5511912345678`;
    expect(request).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${TWILIO.accountSid}/Calls.json`, basicAuth: `${TWILIO.apiKeySid}:${TWILIO.apiKeySecret}` });
    expect(request.form).toMatchObject({
      To: [MANAGER_PHONE],
      From: [TWILIO.callerId],
      Url: [bridgeUrl],
      StatusCallback: [urls.statusCallbackUrl],
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });

    // Twilio, as it would: the manager's leg rings and is answered, Twilio fetches the bridge TwiML.
    const parent = placed.body.providerCallId as string;
    const parentLeg = { CallSid: parent, Direction: 'outbound-api', From: TWILIO.callerId, To: MANAGER_PHONE };
    expect((await statusOf({ ...parentLeg, CallStatus: 'ringing', SequenceNumber: '0' })).status).toBe(204);
    const bridge = await postTwilioWebhook(bridgeUrl, TWILIO.authToken, { AccountSid: TWILIO.accountSid, ...parentLeg, CallStatus: 'in-progress' });
    expect(bridge.status).toBe(200);
    const twiml = await bridge.text();
    expect(twiml).toContain(`<Dial callerId="${TWILIO.callerId}" answerOnBridge="true"`);
    expect(twiml).toMatch(/<Number statusCallback="[^"]+\/status" statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="POST">\+5511912345678<\/Number>/);
    // The customer's leg (child of the manager's) and the end of both.
    const child = sid();
    const childLeg = { CallSid: child, ParentCallSid: parent, Direction: 'outbound-dial', From: TWILIO.callerId, To: DEMO_ACCOUNT.phones.noLead };
    for (const [status, extra] of [
      ['ringing', { SequenceNumber: '0' }],
      ['in-progress', { SequenceNumber: '1' }],
      ['completed', { SequenceNumber: '2', CallDuration: '37' }],
    ] as const) {
      expect((await statusOf({ ...childLeg, CallStatus: status, ...extra })).status).toBe(204);
    }
    expect((await statusOf({ ...parentLeg, CallStatus: 'completed', SequenceNumber: '3', CallDuration: '45' })).status).toBe(204);

    const [note] = await eventually(async () => {
      const found = await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead);
      return found.length > 0 ? found : null;
    }, 15_000);
    await stack.drain();
    expect(await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead)).toHaveLength(1);
    expect(note).toMatchObject({ noteType: 'call_out', responsibleUserId: DEMO.manager, createdBy: DEMO.manager, params: expect.objectContaining({ duration: 37, phone: '+5511912345678' }) });
    // Nothing was logged for the manager's own number.
    const calls = (await stack.sandbox.call<{ calls: { phone: string }[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls;
    expect(calls.map((call) => call.phone)).toEqual(['+5511912345678']);
  }, 60_000);

  it('softphone mode: checks the number, the mapping and the configuration, and answers the Voice SDK params', async () => {
    const ok = await placeCall({ phone: '(415) 555-0100', mode: 'softphone', entity: { type: 'lead', id: DEMO_ACCOUNT.leads.oneActive } });
    expect(ok).toEqual({
      status: 200,
      body: { mode: 'softphone', to: '+14155550100', params: { To: '+14155550100', KommoEntityType: 'lead', KommoEntityId: String(DEMO_ACCOUNT.leads.oneActive) } },
    });
    expect(await placeCall({ phone: '+5511912345678', mode: 'softphone' })).toEqual({ status: 200, body: { mode: 'softphone', to: '+5511912345678', params: { To: '+5511912345678' } } });
    // manager2 is mapped to the PBX extension 103: not a Twilio client identity.
    const unmapped = await placeCall({ phone: '+5511912345678', mode: 'softphone' }, DEMO_ACCOUNT.users.manager2);
    expect(unmapped.status).toBe(409);
    expect(unmapped.body).toMatchObject({ code: 'not_mapped', message: expect.stringContaining('client identity') });
    expect(String(unmapped.body.message)).toContain('103 (a PBX extension)');
    expect((await placeCall({ phone: '+5511912345678', mode: 'fax' })).body).toMatchObject({ statusCode: 400, code: 'invalid_request' });
    expect(twilio.requests).toHaveLength(0); // the softphone places the call itself
  }, 60_000);

  it('every failure is a clear error with a machine code: invalid_number, not_mapped, provider_error, provider_unreachable, not_configured, not_supported, not_connected', async () => {
    const invalid = await placeCall({ phone: '+1 415', mode: 'callback' });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'invalid_number', message: expect.stringContaining('too short') } });
    const extension = await placeCall({ phone: '101', mode: 'callback' });
    expect(extension).toMatchObject({ status: 400, body: { code: 'invalid_number', message: expect.stringContaining('internal extension') } });

    const unmapped = await placeCall({ phone: '+5511912345678', mode: 'callback' }, DEMO_ACCOUNT.users.manager2);
    expect(unmapped).toMatchObject({ status: 409, body: { code: 'not_mapped', message: expect.stringContaining('phone number (E.164') } });

    twilio.behaviour = { kind: 'error', status: 400, code: 21211, message: "The 'To' number +5511912345678 is not a valid phone number." };
    const refused = await placeCall({ phone: '+5511912345678', mode: 'callback' });
    expect(refused).toMatchObject({ status: 502, body: { code: 'provider_error', providerCode: '21211', message: expect.stringContaining("The 'To' number") } });
    expect(String(refused.body.message)).toContain('21211');

    twilio.behaviour = { kind: 'hang' };
    const started = Date.now();
    const slow = await placeCall({ phone: '+5511912345678', mode: 'callback' });
    expect(slow).toMatchObject({ status: 504, body: { code: 'provider_unreachable' } });
    expect(Date.now() - started).toBeLessThan(5_000);
    twilio.behaviour = { kind: 'error', status: 503, code: 20503, message: 'Service unavailable' };
    expect(await placeCall({ phone: '+5511912345678', mode: 'callback' })).toMatchObject({ status: 502, body: { code: 'provider_unreachable' } });
    twilio.behaviour = { kind: 'ok' };

    await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'generic_pbx' });
    expect(await placeCall({ phone: '+5511912345678', mode: 'callback' })).toMatchObject({ status: 409, body: { code: 'not_supported' } });
    expect(await placeCall({ phone: '+5511912345678', mode: 'softphone' })).toMatchObject({ status: 409, body: { code: 'not_supported' } });

    // Back to Twilio, without a caller ID and TwiML App this time.
    const { callerId: _callerId, twimlAppSid: _app, ...withoutCallerId } = TWILIO;
    await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: withoutCallerId });
    const noCallerId = await placeCall({ phone: '+5511912345678', mode: 'callback' });
    expect(noCallerId.status).toBe(409);
    expect(noCallerId.body).toMatchObject({ code: 'not_configured', message: expect.stringContaining('callerId') });
    const noApp = await placeCall({ phone: '+5511912345678', mode: 'softphone' });
    expect(noApp).toMatchObject({ status: 409, body: { code: 'not_configured', message: expect.stringContaining('twimlAppSid') } });
    expect(String(noApp.body.message)).toContain('callerId');

    await stack.dataSource.query('DELETE FROM voip_connection');
    expect(await placeCall({ phone: '+5511912345678', mode: 'callback' })).toMatchObject({ status: 409, body: { code: 'not_connected' } });
    expect(twilio.requests.filter((request) => request.path.endsWith('/Calls.json'))).toHaveLength(3);
  }, 60_000);

  it('softphone calls through the TwiML App: the outbound route dials the customer with the caller ID, refuses bad numbers, and the call is logged as call_out for the manager', async () => {
    const outboundUrl = `${outboundBase()}/outbound`;
    const parent = sid();
    const request = { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', CallSid: parent, CallStatus: 'ringing', Direction: 'inbound', From: `client:${MANAGER_CLIENT}`, To: '+14155550100', Caller: `client:${MANAGER_CLIENT}` };
    expect((await postTwilioWebhook(outboundUrl, TWILIO.authToken, request, 'forged')).status).toBe(403);
    const answered = await postTwilioWebhook(outboundUrl, TWILIO.authToken, request);
    expect(answered.status).toBe(200);
    const twiml = await answered.text();
    expect(twiml).toContain(`<Dial callerId="${TWILIO.callerId}" answerOnBridge="true" timeout="40" action="${outboundUrl}/dial-ended" method="POST" record="record-from-answer-dual"`);
    expect(twiml).toContain('>+14155550100</Number></Dial></Response>');

    const refused = await postTwilioWebhook(outboundUrl, TWILIO.authToken, { ...request, CallSid: sid(), To: '+1 555' });
    expect(refused.status).toBe(200);
    expect(await refused.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>The number cannot be dialled\. "\+1 555" is not a valid phone number: it is too short\.<\/Say><Hangup\/><\/Response>$/);

    const child = sid();
    const childLeg = { CallSid: child, ParentCallSid: parent, Direction: 'outbound-dial', From: TWILIO.callerId, To: '+14155550100' };
    for (const [status, extra] of [
      ['ringing', { SequenceNumber: '0' }],
      ['in-progress', { SequenceNumber: '1' }],
      ['completed', { SequenceNumber: '2', CallDuration: '12' }],
    ] as const) {
      expect((await statusOf({ ...childLeg, CallStatus: status, ...extra })).status).toBe(204);
    }
    const ended = await postTwilioWebhook(`${outboundUrl}/dial-ended`, TWILIO.authToken, { ...request, CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallSid: child, DialCallDuration: '12' });
    expect(ended.status).toBe(200);
    expect(await ended.text()).toContain('<Hangup/>');

    const [note] = await eventually(async () => {
      const found = await callNotes('leads', DEMO_ACCOUNT.leads.oneActive);
      return found.length > 0 ? found : null;
    }, 15_000);
    await stack.drain();
    expect(await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).toHaveLength(1);
    expect(note).toMatchObject({ noteType: 'call_out', responsibleUserId: DEMO.manager, params: expect.objectContaining({ duration: 12, phone: '+14155550100' }) });
  }, 60_000);
});
