import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { installAccount } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip } from '../utils/voip';
import { freeUdpPort, SipResult, SipTestBed } from './sip-test-bed';

interface Delivery {
  readonly event: { event_id: string; call_id: string; type: string; outcome?: string; duration_sec?: number; extension?: string };
  readonly answers: { status: number; body: unknown }[];
}
interface Note {
  responsibleUserId: number;
  noteType: string;
  params: { call_status?: number; duration?: number; phone?: string };
}
interface Task {
  entityType: string | null;
  entityId: number | null;
  isCompleted: boolean;
}

const TALK_MS = 2_000;
const RING_MS = 500;
const NO_ANSWER_MS = 2_000;
const CANCEL_AFTER_MS = 700;
/**
 * One customer and one extension per scenario (demo seed entities without open leads: the note lands on the
 * contact or company itself). `offline`: nobody registered the extension.
 */
const CALLS = {
  answered: { customer: DEMO_ACCOUNT.phones.noLead, entity: { type: 'contacts', id: DEMO_ACCOUNT.contacts.noLead }, extension: '101' },
  busy: { customer: DEMO_ACCOUNT.phones.severalActiveLeads, entity: { type: 'contacts', id: DEMO_ACCOUNT.contacts.severalActiveLeads }, extension: '102' },
  noAnswer: { customer: DEMO_ACCOUNT.phones.onlyClosedLeads, entity: { type: 'contacts', id: DEMO_ACCOUNT.contacts.onlyClosedLeads }, extension: '103' },
  canceled: { customer: DEMO_ACCOUNT.phones.companyEmployee, entity: { type: 'contacts', id: DEMO_ACCOUNT.contacts.companyEmployee }, extension: '104' },
  outbound: { customer: DEMO_ACCOUNT.phones.company, entity: { type: 'companies', id: DEMO_ACCOUNT.companies.withPhone }, extension: '105' },
  offline: { customer: DEMO_ACCOUNT.phones.shared, entity: { type: 'contacts', id: DEMO_ACCOUNT.contacts.sharedOlder }, extension: '106' },
} as const;
type Scenario = keyof typeof CALLS;

/**
 * The generic PBX contract proven against real SIP signalling: SIPp phones call through Kamailio running
 * the example configuration we ship (docs/kamailio), which signs and posts the call events to the api;
 * the worker logs them in the Kommo sandbox exactly as it logs Twilio calls. Every event reaches the api
 * twice (the relay below re-delivers it, like a retrying network edge) and the agent's phone retransmits
 * its 200 OK: each call must still be logged once.
 */
describe('Generic PBX over real SIP: Kamailio + SIPp → signed events → Kommo (sandbox)', () => {
  let stack: TestStack;
  let relay: Server;
  let bed: SipTestBed | undefined;
  const deliveries: Delivery[] = [];
  const sip: Partial<Record<Scenario, { callee: SipResult; caller: SipResult }>> = {};
  let eventsUrl: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await stack.sandbox.reset('demo');
    await installAccount(stack, DEMO.accountId);
    await stack.drain(); // users synced: the extension map below needs them
    const { connection, generatedSecrets } = await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'generic_pbx' });
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const mapped = await fetch(`${stack.apiUrl}/widget/extensions`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        extensions: [
          { extension: CALLS.answered.extension, userId: DEMO_ACCOUNT.users.manager2 },
          { extension: CALLS.outbound.extension, userId: DEMO.manager },
        ],
      }),
    });
    expect(mapped.status).toBe(200);

    // Forwards Kamailio's request byte for byte to the api, twice, and answers Kamailio with the first answer.
    relay = createServer((request, response) => {
      void readBody(request).then(async (raw) => {
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'x-pbx-timestamp', 'x-pbx-signature']) {
          if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
        }
        const delivery: Delivery = { event: JSON.parse(raw.toString()) as Delivery['event'], answers: [] };
        deliveries.push(delivery);
        for (let copy = 0; copy < 2; copy += 1) {
          const answer = await fetch(`${stack.apiUrl}${request.url}`, { method: 'POST', headers, body: new Uint8Array(raw) });
          delivery.answers.push({ status: answer.status, body: await answer.json() });
        }
        response.writeHead(delivery.answers[0].status, { 'content-type': 'application/json' }).end(JSON.stringify(delivery.answers[0].body));
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    eventsUrl = connection.webhookUrls.eventsUrl;
    const gatewayPort = await freeUdpPort(); // the operator's trunk, where calls from extensions go
    bed = await SipTestBed.start({
      eventsUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}${new URL(eventsUrl).pathname}`,
      signingSecret: generatedSecrets.signingSecret,
      noAnswerMs: NO_ANSWER_MS,
      gatewayPort,
    });

    // Six calls at once, each between its own customer and its own agent's phone (SIPp processes).
    const place = async (scenario: Scenario, callee: { scenario: string; pauseMs?: number } | null, caller: { scenario: string; pauseMs?: number }) => {
      const testBed = bed!;
      const { extension, customer } = CALLS[scenario];
      const outbound = scenario === 'outbound';
      const calleePort = outbound ? gatewayPort : await freeUdpPort();
      const ringing = callee ? testBed.sipp(callee.scenario, { port: calleePort, toProxy: false, pauseMs: callee.pauseMs }) : Promise.resolve({ code: 0, output: '' });
      // The agent's phone registers (for an outbound call it is the caller: its contact is not dialled).
      if (callee) await testBed.register(extension, outbound ? await freeUdpPort() : calleePort);
      const calling = testBed.sipp(caller.scenario, {
        port: await freeUdpPort(),
        toProxy: true,
        service: outbound ? customer : extension,
        keys: { caller: outbound ? extension : customer },
        pauseMs: caller.pauseMs,
      });
      sip[scenario] = { callee: await ringing, caller: await calling };
    };
    await Promise.all([
      place('answered', { scenario: 'uas_answer.xml', pauseMs: RING_MS }, { scenario: 'uac_call.xml', pauseMs: TALK_MS }),
      place('busy', { scenario: 'uas_busy.xml', pauseMs: RING_MS }, { scenario: 'uac_busy.xml' }),
      place('noAnswer', { scenario: 'uas_ring.xml' }, { scenario: 'uac_no_answer.xml' }),
      place('canceled', { scenario: 'uas_ring.xml' }, { scenario: 'uac_cancel.xml', pauseMs: CANCEL_AFTER_MS }),
      place('outbound', { scenario: 'uas_answer.xml', pauseMs: RING_MS }, { scenario: 'uac_call.xml', pauseMs: TALK_MS }),
      place('offline', null, { scenario: 'uac_unavailable.xml' }),
    ]);
    // Kamailio posts the last event right after the last SIP message: wait until every event was relayed.
    try {
      const ended = () => new Set(deliveries.filter((delivery) => delivery.event.type === 'call.ended').map((delivery) => delivery.event.call_id));
      await eventually(async () => ended().size === Object.keys(CALLS).length, 10_000);
      await eventually(async () => deliveries.every((delivery) => delivery.answers.length === 2), 10_000);
    } catch (error) {
      const seen = deliveries.map((delivery) => `${delivery.event.event_id} ${JSON.stringify(delivery.answers)}`).join('\n');
      const calls = Object.entries(sip).map(([scenario, result]) => `${scenario}: callee ${result.callee.code}, caller ${result.caller.code}\n${result.caller.output}`);
      throw new Error(`${(error as Error).message}: events relayed:\n${seen}\n${calls.join('\n')}\nKamailio:\n${bed.log.slice(-4000)}`);
    }
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    if (relay) await new Promise<void>((resolve) => relay.close(() => resolve()));
    await stack?.close();
  });

  type Entity = (typeof CALLS)[Scenario]['entity'];
  const notesOn = async (entity: Entity) =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=${entity.type}&entityId=${entity.id}`)).notes.filter((note) =>
      note.noteType.startsWith('call_'),
    );
  const loggedNote = (entity: Entity) => eventually(async () => ((await notesOn(entity)).length > 0 ? notesOn(entity) : null), 15_000);
  const tasksOn = async (entity: Entity) =>
    (await stack.sandbox.call<{ tasks: Task[] }>('GET', `/accounts/${DEMO.accountId}/tasks`)).tasks.filter(
      (task) => task.entityType === entity.type && task.entityId === entity.id,
    );
  const eventsOf = (scenario: Scenario) => deliveries.filter((delivery) => delivery.event.extension === CALLS[scenario].extension).map((delivery) => delivery.event);

  it('completes every SIP dialog as scripted (each SIPp callee and caller exits 0)', () => {
    expect(Object.keys(sip).sort()).toEqual(Object.keys(CALLS).sort());
    for (const [scenario, { callee, caller }] of Object.entries(sip)) {
      const failed = callee.code !== 0 || caller.code !== 0;
      expect({ scenario, callee: callee.code, caller: caller.code, output: failed ? `${callee.output}\n${caller.output}\n${bed?.log.slice(-3000)}` : '' }).toEqual({
        scenario,
        callee: 0,
        caller: 0,
        output: '',
      });
    }
  });

  it.each([
    ['answered', 'call_in', DEMO_ACCOUNT.users.manager2],
    ['outbound', 'call_out', DEMO.manager],
  ] as const)('logs the %s call as one %s note on the known customer, with its talk time, for the extension’s manager', async (scenario, noteType, manager) => {
    const [note] = await loggedNote(CALLS[scenario].entity);
    expect(note).toMatchObject({ noteType, responsibleUserId: manager, params: expect.objectContaining({ call_status: 4 }) });
    // Kamailio measures the dialog in whole seconds: 2 s of talk reads as 2 or 3.
    expect(note.params.duration).toBeGreaterThanOrEqual(TALK_MS / 1000);
    expect(note.params.duration).toBeLessThanOrEqual(TALK_MS / 1000 + 1);
    expect(eventsOf(scenario).map((event) => event.type)).toEqual(['call.ringing', 'call.answered', 'call.ended']);
    expect(await tasksOn(CALLS[scenario].entity)).toHaveLength(0);
  });

  it.each([
    ['busy', 'busy', 7],
    ['noAnswer', 'missed', 6],
    ['canceled', 'canceled', 6],
    ['offline', 'missed', 6],
  ] as const)('logs the %s call as a missed call_in (outcome %s → call_status %i) and creates one callback task', async (scenario, outcome, callStatus) => {
    const [note] = await loggedNote(CALLS[scenario].entity);
    expect(note).toMatchObject({ noteType: 'call_in', params: expect.objectContaining({ call_status: callStatus, duration: 0 }) });
    const events = eventsOf(scenario);
    expect(events.map((event) => event.type)).toEqual(scenario === 'offline' ? ['call.ended'] : ['call.ringing', 'call.ended']);
    expect(events.at(-1)).toMatchObject({ outcome, duration_sec: 0 });
    const tasks = await eventually(async () => ((await tasksOn(CALLS[scenario].entity)).length > 0 ? tasksOn(CALLS[scenario].entity) : null), 15_000);
    expect(tasks).toMatchObject([{ isCompleted: false }]);
  });

  it('logs each call exactly once although every signed event was delivered twice and a 200 OK was retransmitted', async () => {
    for (const call of Object.values(CALLS)) await loggedNote(call.entity);
    await stack.drain();
    // One event per SIP fact: 3 for each answered call, 2 for each failed one, 1 for the offline extension.
    expect(deliveries).toHaveLength(13);
    expect(new Set(deliveries.map((delivery) => delivery.event.event_id)).size).toBe(13);
    expect(new Set(deliveries.map((delivery) => delivery.event.call_id)).size).toBe(6);
    for (const { answers } of deliveries) {
      expect(answers).toEqual([
        { status: 202, body: { received: true, duplicate: false } },
        { status: 202, body: { received: true, duplicate: true } },
      ]);
    }
    for (const call of Object.values(CALLS)) expect(await notesOn(call.entity)).toHaveLength(1);
    const calls = (await stack.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls;
    expect(calls).toHaveLength(6);
    const inbox = await stack.dataSource.query<{ count: string }[]>('SELECT count(*) FROM call_webhook_inbox');
    expect(Number(inbox[0].count)).toBe(13);
  });

  it('stores nothing when Kamailio signs with a wrong secret: the api answers 403 and Kamailio logs it', async () => {
    const misconfigured = await SipTestBed.start({ eventsUrl, signingSecret: 'not-the-connection-secret', noAnswerMs: NO_ANSWER_MS });
    try {
      const before = await stack.dataSource.query<{ count: string }[]>('SELECT count(*) FROM call_webhook_inbox');
      const result = await misconfigured.sipp('uac_unavailable.xml', { port: await freeUdpPort(), toProxy: true, service: '199', keys: { caller: CALLS.busy.customer } });
      expect(result.code).toBe(0);
      await eventually(async () => /kommo: call\.ended for \S+ answered 403/.test(misconfigured.log), 5_000);
      const after = await stack.dataSource.query<{ count: string }[]>('SELECT count(*) FROM call_webhook_inbox');
      expect(after[0].count).toBe(before[0].count);
    } finally {
      await misconfigured.close();
    }
  });
});

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
