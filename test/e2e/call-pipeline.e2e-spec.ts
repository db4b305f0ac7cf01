import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { connectVoip, postTwilioWebhook } from '../utils/voip';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';

const TWILIO = { accountSid: `AC${'b2'.repeat(16)}`, authToken: '0123456789abcdef0123456789abcdef' };
const AUDIO = Buffer.from(Array.from({ length: 4096 }, (_, index) => index % 251));

interface Note {
  id: number;
  responsibleUserId: number;
  createdBy: number;
  entityType: string;
  entityId: number;
  noteType: string;
  params: Record<string, unknown>;
}

/**
 * The whole call pipeline on real processes' code paths: Twilio-signed webhooks → api (inbox, queue) →
 * worker (SaveCallEvent, AddCall, recordings, callback tasks) → the Kommo sandbox over HTTP.
 */
describe('Call pipeline: Twilio webhooks → Kommo (sandbox)', () => {
  let stack: TestStack;
  let media: Server;
  let mediaRequests: { url: string; authorization?: string; range?: string }[];
  let urls: Record<string, string>;
  let sequence = 0;

  beforeAll(async () => {
    // Twilio's media host, offline: serves the recording with Range support and Basic auth.
    media = createServer((request, response) => {
      mediaRequests.push({ url: request.url ?? '', authorization: request.headers.authorization, range: request.headers.range });
      const expected = `Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString('base64')}`;
      if (request.headers.authorization !== expected) return void response.writeHead(401).end();
      const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
      if (!match) return void response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': AUDIO.length }).end(AUDIO);
      const start = Number(match[1]);
      const end = match[2] ? Number(match[2]) : AUDIO.length - 1;
      response.writeHead(206, { 'content-type': 'audio/mpeg', 'content-range': `bytes ${start}-${end}/${AUDIO.length}`, 'content-length': end - start + 1 });
      response.end(AUDIO.subarray(start, end + 1));
    });
    await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    stack = await startTestStack({ env: { TWILIO_API_BASE_URL: `http://127.0.0.1:${(media.address() as AddressInfo).port}` } });
  });
  afterAll(async () => {
    await stack.close();
    await new Promise<void>((resolve) => media.close(() => resolve()));
  });
  beforeEach(async () => {
    mediaRequests = [];
    await freshInstall(stack, [DEMO.accountId]);
    urls = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls;
  });

  const sid = (prefix: 'CA' | 'RE') => `${prefix}${(++sequence).toString(16).padStart(32, '0')}`;
  const post = async (url: string, params: Record<string, string>) => {
    expect((await postTwilioWebhook(url, TWILIO.authToken, params)).status).toBe(204);
  };
  /** Twilio's status callbacks for one leg: ringing → in-progress → final status. */
  const legCallbacks = (
    callSid: string,
    from: string,
    to: string,
    final: { status: string; duration: number; startMinute?: number },
    extra: Record<string, string> = {},
  ) => {
    const base = { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', CallSid: callSid, From: from, To: to, Direction: 'inbound', CallbackSource: 'call-progress-events', ...extra };
    const at = (seconds: number) => new Date(Date.UTC(2026, 10, 24, 10, final.startMinute ?? 0, seconds)).toUTCString();
    const callbacks: Record<string, string>[] = [{ ...base, CallStatus: 'ringing', SequenceNumber: '0', Timestamp: at(0) }];
    if (final.status === 'completed') callbacks.push({ ...base, CallStatus: 'in-progress', SequenceNumber: '1', Timestamp: at(5) });
    callbacks.push({ ...base, CallStatus: final.status, SequenceNumber: String(callbacks.length), Timestamp: at(5 + final.duration), CallDuration: String(final.duration) });
    return callbacks;
  };
  const notes = async (entityType: string, entityId: number) =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=${entityType}&entityId=${entityId}`)).notes.filter((note) =>
      note.noteType.startsWith('call_'),
    );

  it('logs an answered inbound call once on the active lead, then attaches the late recording to the same note (proxied with Range)', async () => {
    const callSid = sid('CA');
    for (const params of legCallbacks(callSid, '+1 (415) 555-0100', '+14155550199', { status: 'completed', duration: 42 })) {
      await post(urls.statusCallbackUrl, params);
    }
    const [note] = await eventually(async () => {
      const found = await notes('leads', DEMO_ACCOUNT.leads.oneActive);
      return found.length > 0 ? found : null;
    }, 15_000);
    expect(note).toMatchObject({ noteType: 'call_in', params: expect.objectContaining({ duration: 42, source: 'twilio' }) });

    const recordingSid = sid('RE');
    await post(urls.recordingStatusCallbackUrl, {
      AccountSid: TWILIO.accountSid,
      CallSid: callSid,
      RecordingSid: recordingSid,
      RecordingStatus: 'completed',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${TWILIO.accountSid}/Recordings/${recordingSid}`,
      RecordingDuration: '41',
    });
    const link = await eventually(async () => {
      const [updated] = await notes('leads', DEMO_ACCOUNT.leads.oneActive);
      return typeof updated?.params.link === 'string' ? updated.params.link : null;
    }, 15_000);
    expect(await notes('leads', DEMO_ACCOUNT.leads.oneActive)).toHaveLength(1); // updated, never a second note
    expect(link.startsWith(`${stack.apiUrl}/recordings/${DEMO.accountId}/`)).toBe(true);

    // Kommo's player fetches our link: the proxy streams the provider's media, Range included.
    const partial = await fetch(link, { headers: { range: 'bytes=100-199' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('accept-ranges')).toBe('bytes');
    expect(partial.headers.get('content-range')).toBe(`bytes 100-199/${AUDIO.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(AUDIO.subarray(100, 200))).toBe(true);
    expect(mediaRequests.at(-1)).toMatchObject({ url: `/2010-04-01/Accounts/${TWILIO.accountSid}/Recordings/${recordingSid}.mp3`, range: 'bytes=100-199' });
    const forged = link.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await fetch(forged)).status).toBe(403);
  }, 60_000);

  it('logs exactly one note with the final state when every callback arrives 3× concurrently, shuffled', async () => {
    const callSid = sid('CA');
    const callbacks = legCallbacks(callSid, '+79161234567', '+14155550199', { status: 'completed', duration: 17 });
    const deliveries = [...callbacks, ...callbacks, ...callbacks].sort(() => Math.random() - 0.5);
    await Promise.all(deliveries.map((params) => post(urls.statusCallbackUrl, params)));

    const logged = await eventually(async () => {
      const found = await notes('contacts', DEMO_ACCOUNT.contacts.severalActiveLeads);
      return found.length > 0 ? found : null;
    }, 15_000);
    await stack.drain();
    expect(await notes('contacts', DEMO_ACCOUNT.contacts.severalActiveLeads)).toHaveLength(1);
    expect(logged[0].params).toMatchObject({ duration: 17 });
    const calls = (await stack.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls;
    expect(calls).toHaveLength(1);
  }, 60_000);

  it('turns a call from an unknown number into one incoming lead, in the pipeline the admin chose', async () => {
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const patched = await fetch(`${stack.apiUrl}/widget/settings`, {
      method: 'PATCH',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ incomingLeadPipelineId: DEMO_ACCOUNT.pipelines.support }),
    });
    expect(patched.status).toBe(200);
    for (const params of legCallbacks(sid('CA'), DEMO_ACCOUNT.phones.unknown, '+14155550199', { status: 'completed', duration: 30 })) {
      await post(urls.statusCallbackUrl, params);
    }
    const unsorted = await eventually(async () => {
      const found = (await stack.sandbox.call<{ unsorted: { state: string; pipelineId: number; metadata: Record<string, unknown> }[] }>('GET', `/accounts/${DEMO.accountId}/unsorted`))
        .unsorted;
      return found.length > 0 ? found : null;
    }, 15_000);
    expect(unsorted).toHaveLength(1);
    expect(unsorted[0]).toMatchObject({ state: 'pending', pipelineId: DEMO_ACCOUNT.pipelines.support });
  }, 60_000);

  it('creates one callback task for a missed call and completes it when a later call is answered', async () => {
    for (const params of legCallbacks(sid('CA'), DEMO_ACCOUNT.phones.noLead, '+14155550199', { status: 'no-answer', duration: 0 })) {
      await post(urls.statusCallbackUrl, params);
    }
    const tasks = async () => (await stack.sandbox.call<{ tasks: { id: number; isCompleted: boolean; responsibleUserId: number }[] }>('GET', `/accounts/${DEMO.accountId}/tasks`)).tasks;
    const [task] = await eventually(async () => ((await tasks()).length > 0 ? tasks() : null), 15_000);
    expect(task.isCompleted).toBe(false);

    // The customer calls again ten minutes later and a manager answers.
    for (const params of legCallbacks(sid('CA'), DEMO_ACCOUNT.phones.noLead, '+14155550199', { status: 'completed', duration: 60, startMinute: 10 })) {
      await post(urls.statusCallbackUrl, params);
    }
    await eventually(async () => ((await tasks()).find((candidate) => candidate.id === task.id)?.isCompleted ? true : null), 15_000);
    expect(await tasks()).toHaveLength(1);
  }, 60_000);

  it('logs a softphone call to a customer as call_out', async () => {
    for (const params of legCallbacks(sid('CA'), 'client:manager_1002', DEMO_ACCOUNT.phones.company, { status: 'completed', duration: 12 })) {
      await post(urls.statusCallbackUrl, params);
    }
    const [note] = await eventually(async () => {
      const found = await notes('companies', DEMO_ACCOUNT.companies.withPhone);
      return found.length > 0 ? found : null;
    }, 15_000);
    expect(note.noteType).toBe('call_out');
  }, 60_000);

  it('makes one Kommo call of a parent leg and its <Dial> child legs (one rang out, one answered)', async () => {
    const parent = sid('CA');
    const missedChild = sid('CA');
    const answeredChild = sid('CA');
    const callbacks = [
      ...legCallbacks(parent, DEMO_ACCOUNT.phones.onlyClosedLeads, '+14155550199', { status: 'completed', duration: 50 }),
      ...legCallbacks(missedChild, DEMO_ACCOUNT.phones.onlyClosedLeads, 'client:manager-1003', { status: 'no-answer', duration: 0 }, { ParentCallSid: parent, Direction: 'outbound-dial' }),
      ...legCallbacks(answeredChild, DEMO_ACCOUNT.phones.onlyClosedLeads, 'client:manager_1002', { status: 'completed', duration: 44 }, { ParentCallSid: parent, Direction: 'outbound-dial' }),
    ].sort(() => Math.random() - 0.5);
    for (const params of callbacks) await post(urls.statusCallbackUrl, params);

    const logged = await eventually(async () => {
      const found = await notes('contacts', DEMO_ACCOUNT.contacts.onlyClosedLeads);
      return found.length > 0 ? found : null;
    }, 15_000);
    await stack.drain();
    expect(await notes('contacts', DEMO_ACCOUNT.contacts.onlyClosedLeads)).toHaveLength(1);
    expect(logged[0]).toMatchObject({ noteType: 'call_in', params: expect.objectContaining({ duration: 44 }) });
    const tasks = (await stack.sandbox.call<{ tasks: unknown[] }>('GET', `/accounts/${DEMO.accountId}/tasks`)).tasks;
    expect(tasks).toHaveLength(0); // answered by a manager: not a missed call
  }, 60_000);

  it('credits the manager whose extension took the call (admin maps extensions; bad maps are refused)', async () => {
    await stack.drain(); // users synced
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const manager = await stack.sandbox.jwt(DEMO.accountId, DEMO.manager);
    const putMap = (token: string, extensions: unknown) =>
      fetch(`${stack.apiUrl}/widget/extensions`, { method: 'PUT', headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: JSON.stringify({ extensions }) });
    expect((await putMap(manager, [{ extension: 'manager_1002', userId: DEMO.manager }])).status).toBe(403);
    const inactive = await putMap(admin, [{ extension: '105', userId: DEMO_ACCOUNT.users.inactive }]);
    expect(inactive.status).toBe(400);
    expect(JSON.stringify(await inactive.json())).toContain('inactive');
    expect((await putMap(admin, [{ extension: '101', userId: 424242 }])).status).toBe(400);
    expect((await putMap(admin, [{ extension: 'a', userId: DEMO.manager }, { extension: 'A', userId: DEMO.admin }])).status).toBe(400);
    const saved = await putMap(admin, [{ extension: 'manager_1002', userId: DEMO.manager }, { extension: '101', userId: DEMO_ACCOUNT.users.manager2 }]);
    expect(saved.status).toBe(200);
    const listed = (await (await fetch(`${stack.apiUrl}/widget/extensions`, { headers: { 'x-auth-token': manager } })).json()) as {
      extensions: { extension: string; userId: number }[];
      users: { id: number }[];
    };
    expect(listed.extensions.map(({ extension, userId }) => [extension, userId])).toEqual([
      ['101', DEMO_ACCOUNT.users.manager2],
      ['manager_1002', DEMO.manager],
    ]);
    expect(listed.users.map((user) => user.id)).toEqual(expect.arrayContaining([DEMO.admin, DEMO.manager]));

    for (const params of legCallbacks(sid('CA'), 'client:manager_1002', DEMO_ACCOUNT.phones.companyEmployee, { status: 'completed', duration: 21 })) {
      await post(urls.statusCallbackUrl, params);
    }
    const [note] = await eventually(async () => {
      const found = await notes('contacts', DEMO_ACCOUNT.contacts.companyEmployee);
      return found.length > 0 ? found : null;
    }, 15_000);
    expect(note).toMatchObject({ noteType: 'call_out', responsibleUserId: DEMO.manager, createdBy: DEMO.manager });
  }, 60_000);

  it('answers the Voice URL with TwiML that rings the mapped managers (leg and recording callbacks to us), then voicemail', async () => {
    await stack.drain(); // users synced
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    await fetch(`${stack.apiUrl}/widget/extensions`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: [{ extension: 'manager_1002', userId: DEMO.manager }, { extension: '+14155550111', userId: DEMO_ACCOUNT.users.manager2 }] }),
    });
    const callSid = sid('CA');
    const params = { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', CallSid: callSid, CallStatus: 'ringing', Direction: 'inbound', From: DEMO_ACCOUNT.phones.noLead, To: '+14155550199' };
    const sign = (url: string, body: Record<string, string>) => getExpectedTwilioSignature(TWILIO.authToken, url, body);
    const voice = await postTwilioWebhook(urls.voiceUrl, TWILIO.authToken, params);
    expect(voice.status).toBe(200);
    expect(voice.headers.get('content-type')).toContain('text/xml');
    const twiml = await voice.text();
    expect(twiml).toContain(`<Dial action="${urls.voiceUrl}/dial-ended"`);
    expect(twiml).toContain('>manager_1002</Client>');
    expect(twiml).toContain('>+14155550111</Number>');
    expect(twiml).toContain(`statusCallback="${urls.statusCallbackUrl}"`);
    expect(twiml).toContain(`recordingStatusCallback="${urls.recordingStatusCallbackUrl}"`);
    // The call exists from its first ring (caller ID and later legs build on it).
    await eventually(async () => (await stack.dataSource.query<{ call_id: string }[]>('SELECT call_id FROM call_leg WHERE provider_call_id = $1', [callSid])).length === 1, 10_000);

    const dialEndedUrl = `${urls.voiceUrl}/dial-ended`;
    const ended = { ...params, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallDuration: '0' };
    const voicemail = await postTwilioWebhook(dialEndedUrl, TWILIO.authToken, ended);
    expect(voicemail.status).toBe(200);
    expect(await voicemail.text()).toContain(`<Record maxLength="120" playBeep="true" recordingStatusCallback="${urls.recordingStatusCallbackUrl}"`);

    const forged = await postTwilioWebhook(urls.voiceUrl, TWILIO.authToken, params, sign(urls.statusCallbackUrl, params));
    expect(forged.status).toBe(403);
  }, 60_000);

  it('"create a contact" policy: a call from an unknown number creates one contact and lands on it', async () => {
    await stack.drain();
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const patched = await fetch(`${stack.apiUrl}/widget/settings`, {
      method: 'PATCH',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ unknownNumberPolicy: 'create_contact', defaultResponsibleUserId: DEMO.manager }),
    });
    expect(patched.status).toBe(200);
    for (const params of legCallbacks(sid('CA'), DEMO_ACCOUNT.phones.unknown, '+14155550199', { status: 'completed', duration: 9 })) {
      await post(urls.statusCallbackUrl, params);
    }
    const callNotesOnContacts = async () =>
      (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=contacts`)).notes.filter(
        (note) => note.noteType === 'call_in' && note.params.phone === DEMO_ACCOUNT.phones.unknown,
      );
    const [note] = await eventually(async () => {
      const found = await callNotesOnContacts();
      return found.length > 0 ? found : null;
    }, 20_000);
    await stack.drain();
    expect(await callNotesOnContacts()).toHaveLength(1);
    const state = await stack.sandbox.call<{ contacts?: { id: number; responsibleUserId?: number; responsible_user_id?: number }[] }>('GET', `/accounts/${DEMO.accountId}/state`);
    const contact = state.contacts?.find((candidate) => candidate.id === note.entityId);
    expect(contact).toBeDefined();
    expect((await stack.sandbox.call<{ unsorted: unknown[] }>('GET', `/accounts/${DEMO.accountId}/unsorted`)).unsorted).toEqual([]);
  }, 60_000);

  it('a second call from the same unknown number while its incoming lead is pending: no duplicate lead, no lost call', async () => {
    for (const params of legCallbacks(sid('CA'), DEMO_ACCOUNT.phones.unknown, '+14155550199', { status: 'completed', duration: 30 })) {
      await post(urls.statusCallbackUrl, params);
    }
    const unsorted = async () =>
      (await stack.sandbox.call<{ unsorted: { state: string; leadId: number }[] }>('GET', `/accounts/${DEMO.accountId}/unsorted`)).unsorted;
    const [lead] = await eventually(async () => ((await unsorted()).length > 0 ? unsorted() : null), 15_000);

    for (const params of legCallbacks(sid('CA'), DEMO_ACCOUNT.phones.unknown, '+14155550199', { status: 'completed', duration: 12, startMinute: 5 })) {
      await post(urls.statusCallbackUrl, params);
    }
    // The second call becomes a call note on the pending incoming lead.
    const secondNote = await eventually(async () => {
      const found = (await notes('leads', lead.leadId)).filter((note) => note.params.duration === 12);
      return found.length > 0 ? found : null;
    }, 15_000);
    await stack.drain();
    expect(secondNote).toHaveLength(1);
    expect(await unsorted()).toHaveLength(1);
    const refusals = (await stack.sandbox.call<{ refusals: unknown[] }>('GET', `/requests?accountId=${DEMO.accountId}`)).refusals;
    expect(refusals).toEqual([]);
  }, 60_000);
});
