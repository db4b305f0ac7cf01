import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall, installAccount } from '../utils/kommo-install';
import { ACME, DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const HEX = '0123456789abcdef0123456789abcdef';
const TWILIO = { accountSid: `AC${'a7'.repeat(16)}`, authToken: HEX, callerId: '+14155550123' };

interface Note {
  id: number;
  entityType: string;
  entityId: number;
  noteType: string;
  params: Record<string, unknown>;
}
interface Task {
  id: number;
  text: string;
  taskTypeId: number;
  entityType: string | null;
  entityId: number | null;
  responsibleUserId: number;
  completeTill: number;
}

/**
 * The call-result modal's server half: GET /widget/calls/:id, GET /widget/entities/search, POST …/result →
 * UpdateFromModal in the worker → the sandbox shows one call note (moved/updated) and the task.
 */
describe('Call result modal', () => {
  let stack: TestStack;
  let urls: Record<string, string>;
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
    urls = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls;
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const mapped = await fetch(`${stack.apiUrl}/widget/extensions`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: [{ extension: 'client:anna_1002', userId: DEMO.manager }] }),
    });
    expect(mapped.status).toBe(200);
  });

  const sid = () => `CA${(++sequence).toString(16).padStart(32, '0')}`;
  const status = async (params: Record<string, string>) =>
    expect((await postTwilioWebhook(urls.statusCallbackUrl, TWILIO.authToken, { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', ...params })).status).toBe(204);
  /** A softphone call of manager 1002 to John Smith (one active lead → logged on the lead); `end: false` stops before it ends. */
  const softphoneCall = async (options: { end: boolean } = { end: true }) => {
    const parent = sid();
    const child = sid();
    const parentLeg = { CallSid: parent, Direction: 'inbound', From: 'client:anna_1002', To: DEMO_ACCOUNT.phones.oneActiveLead };
    const childLeg = { CallSid: child, ParentCallSid: parent, Direction: 'outbound-dial', From: TWILIO.callerId, To: DEMO_ACCOUNT.phones.oneActiveLead };
    await status({ ...parentLeg, CallStatus: 'ringing', SequenceNumber: '0' });
    await status({ ...childLeg, CallStatus: 'ringing', SequenceNumber: '0' });
    await status({ ...childLeg, CallStatus: 'in-progress', SequenceNumber: '1' });
    const end = async () => {
      await status({ ...childLeg, CallStatus: 'completed', SequenceNumber: '2', CallDuration: '64' });
      await status({ ...parentLeg, CallStatus: 'completed', SequenceNumber: '1', CallDuration: '66' });
    };
    if (options.end) await end();
    return { parent, end };
  };
  const widget = async (method: 'GET' | 'POST', path: string, userId: number, body?: unknown, accountId: number = DEMO.accountId) => {
    const response = await fetch(`${stack.apiUrl}/widget${path}`, {
      method,
      headers: { 'x-auth-token': await stack.sandbox.jwt(accountId, userId), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const callNotes = async (entityType: string, entityId: number) =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=${entityType}&entityId=${entityId}`)).notes.filter((note) =>
      note.noteType.startsWith('call_'),
    );
  const tasks = async () => (await stack.sandbox.call<{ tasks: Task[] }>('GET', `/accounts/${DEMO.accountId}/tasks`)).tasks;
  const logged = (entityType: string, entityId: number) =>
    eventually(async () => {
      const found = await callNotes(entityType, entityId);
      return found.length > 0 ? found : null;
    }, 15_000);

  it('shows the logged call, searches cards, and a save moves the one call note to the chosen card with status, result and task (a retried or second save adds no note)', async () => {
    const { parent } = await softphoneCall();
    const [onLead] = await logged('leads', DEMO_ACCOUNT.leads.oneActive);
    await stack.drain();

    const view = await widget('GET', `/calls/${parent}`, DEMO.manager);
    expect(view).toEqual({
      status: 200,
      body: {
        callId: expect.any(String),
        providerCallId: parent,
        direction: 'outbound',
        phone: DEMO_ACCOUNT.phones.oneActiveLead,
        startedAt: expect.any(String),
        durationSeconds: 64,
        callStatus: 4,
        result: null,
        loggedOn: { type: 'lead', id: DEMO_ACCOUNT.leads.oneActive, name: 'Solar panels for John', url: `https://demo.kommo.com/leads/detail/${DEMO_ACCOUNT.leads.oneActive}` },
        managerUserId: DEMO.manager,
        logged: true,
      },
    });
    const callId = view.body.callId as string;
    expect((await widget('GET', `/calls/${callId}`, DEMO.manager)).body.providerCallId).toBe(parent);
    expect(await widget('GET', `/calls/CA${'9'.repeat(32)}`, DEMO.manager)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    await installAccount(stack, ACME.accountId);
    expect(await widget('GET', `/calls/${callId}`, ACME.manager, undefined, ACME.accountId)).toMatchObject({ status: 404, body: { code: 'not_found' } });

    const search = await widget('GET', '/entities/search?query=pedro', DEMO.manager);
    expect(search).toEqual({
      status: 200,
      body: { items: [{ type: 'contact', id: DEMO_ACCOUNT.contacts.noLead, name: 'Pedro Alves', url: `https://demo.kommo.com/contacts/detail/${DEMO_ACCOUNT.contacts.noLead}` }] },
    });
    expect(await widget('GET', '/entities/search?query=p', DEMO.manager)).toMatchObject({ status: 400, body: { code: 'invalid_request' } });

    const dueAt = new Date(Date.now() + 2 * 86_400_000);
    dueAt.setUTCMilliseconds(0);
    const save = {
      entity: { type: 'contact', id: DEMO_ACCOUNT.contacts.noLead },
      callStatus: 2,
      result: 'Wants a call back on Tuesday',
      task: { typeId: 1, dueAt: dueAt.toISOString(), text: 'Call Pedro back about the quote' },
      requestId: 'save-1',
    };
    expect(await widget('POST', `/calls/${callId}/result`, DEMO_ACCOUNT.users.manager2, save)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(
      await widget('POST', `/calls/${callId}/result`, DEMO.manager, { ...save, task: { ...save.task, dueAt: new Date(Date.now() - 60_000).toISOString() } }),
    ).toMatchObject({ status: 400, body: { code: 'invalid_request', message: expect.stringContaining('future') } });
    expect(await widget('POST', `/calls/${callId}/result`, DEMO.manager, save)).toEqual({ status: 202, body: { queued: true } });
    expect(await widget('POST', `/calls/${callId}/result`, DEMO.manager, save)).toEqual({ status: 202, body: { queued: true } }); // a retry

    const [moved] = await logged('contacts', DEMO_ACCOUNT.contacts.noLead);
    await eventually(async () => ((await tasks()).length > 0 ? true : null), 15_000);
    await stack.drain();
    expect(await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).toEqual([]);
    expect(await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead)).toHaveLength(1);
    expect(moved).toMatchObject({ noteType: 'call_out', params: expect.objectContaining({ uniq: callId, call_status: 2, call_result: 'Wants a call back on Tuesday', duration: 64 }) });
    const [retired] = (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=leads&entityId=${DEMO_ACCOUNT.leads.oneActive}`)).notes.filter(
      (note) => note.id === onLead.id,
    );
    expect(retired).toMatchObject({ noteType: 'common', params: expect.objectContaining({ text: expect.stringContaining(`contact #${DEMO_ACCOUNT.contacts.noLead}`) }) });
    const [task] = await tasks();
    expect(await tasks()).toHaveLength(1);
    expect(task).toMatchObject({
      text: 'Call Pedro back about the quote',
      taskTypeId: 1,
      entityType: 'contacts',
      entityId: DEMO_ACCOUNT.contacts.noLead,
      responsibleUserId: DEMO.manager,
      completeTill: dueAt.getTime() / 1000,
    });

    // A second save (admin, new request): the latest wins on the same note; no task asked, none added.
    expect(await widget('POST', `/calls/${callId}/result`, DEMO.admin, { result: 'No answer on Tuesday', callStatus: 3, requestId: 'save-2' })).toMatchObject({ status: 202 });
    await eventually(async () => ((await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead))[0]?.params.call_result === 'No answer on Tuesday' ? true : null), 15_000);
    await stack.drain();
    expect(await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead)).toHaveLength(1);
    expect((await callNotes('contacts', DEMO_ACCOUNT.contacts.noLead))[0].params).toMatchObject({ call_status: 3 });
    expect(await tasks()).toHaveLength(1);
    expect((await widget('GET', `/calls/${callId}`, DEMO.manager)).body).toMatchObject({
      result: 'No answer on Tuesday',
      callStatus: 3,
      loggedOn: { type: 'contact', id: DEMO_ACCOUNT.contacts.noLead, name: 'Pedro Alves' },
    });
  }, 90_000);

  it('a save before the call is logged waits: once the call ends it is logged, moved and its task created', async () => {
    const { parent, end } = await softphoneCall({ end: false });
    await stack.drain();
    const view = await widget('GET', `/calls/${parent}`, DEMO.manager);
    expect(view.body).toMatchObject({ logged: false, loggedOn: null });
    const dueAt = new Date(Date.now() + 86_400_000);
    dueAt.setUTCMilliseconds(0);
    const saved = await widget('POST', `/calls/${parent}/result`, DEMO.manager, {
      entity: { type: 'company', id: DEMO_ACCOUNT.companies.withPhone },
      result: 'Talked to Globex instead',
      task: { typeId: 2, dueAt: dueAt.toISOString(), text: 'Meeting at Globex' },
    });
    expect(saved).toEqual({ status: 202, body: { queued: true } });
    await stack.drain();
    expect(await tasks()).toHaveLength(0);

    await end();
    await logged('companies', DEMO_ACCOUNT.companies.withPhone);
    await eventually(async () => ((await tasks()).length > 0 ? true : null), 15_000);
    await stack.drain();
    expect(await callNotes('companies', DEMO_ACCOUNT.companies.withPhone)).toHaveLength(1);
    expect(await callNotes('leads', DEMO_ACCOUNT.leads.oneActive)).toEqual([]);
    expect((await callNotes('companies', DEMO_ACCOUNT.companies.withPhone))[0].params).toMatchObject({ call_result: 'Talked to Globex instead' });
    expect(await tasks()).toEqual([expect.objectContaining({ text: 'Meeting at Globex', taskTypeId: 2, entityType: 'companies', entityId: DEMO_ACCOUNT.companies.withPhone })]);
  }, 90_000);
});
