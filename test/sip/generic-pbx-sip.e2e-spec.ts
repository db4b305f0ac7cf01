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
/** One customer per scenario (demo seed contacts without open leads: the note lands on the contact). */
const CALLS = {
  answered: { caller: DEMO_ACCOUNT.phones.noLead, contact: DEMO_ACCOUNT.contacts.noLead, extension: '101' },
  busy: { caller: DEMO_ACCOUNT.phones.severalActiveLeads, contact: DEMO_ACCOUNT.contacts.severalActiveLeads, extension: '102' },
  noAnswer: { caller: DEMO_ACCOUNT.phones.onlyClosedLeads, contact: DEMO_ACCOUNT.contacts.onlyClosedLeads, extension: '103' },
  canceled: { caller: DEMO_ACCOUNT.phones.companyEmployee, contact: DEMO_ACCOUNT.contacts.companyEmployee, extension: '104' },
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
  const sip: Record<Scenario, { phone: SipResult; customer: SipResult }> = {} as never;

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
      body: JSON.stringify({ extensions: [{ extension: CALLS.answered.extension, userId: DEMO_ACCOUNT.users.manager2 }] }),
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
    const eventsPath = new URL(connection.webhookUrls.eventsUrl).pathname;
    bed = await SipTestBed.start({
      eventsUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}${eventsPath}`,
      signingSecret: generatedSecrets.signingSecret,
      noAnswerMs: NO_ANSWER_MS,
    });

    // The four calls at once, each between its own customer and its own agent's phone.
    const place = async (scenario: Scenario, phone: { scenario: string; pauseMs?: number }, customer: { scenario: string; pauseMs?: number }) => {
      const testBed = bed!;
      const phonePort = await freeUdpPort();
      const ringing = testBed.sipp(phone.scenario, { port: phonePort, toProxy: false, pauseMs: phone.pauseMs });
      await testBed.register(CALLS[scenario].extension, phonePort);
      const calling = testBed.sipp(customer.scenario, {
        port: await freeUdpPort(),
        toProxy: true,
        service: CALLS[scenario].extension,
        keys: { caller: CALLS[scenario].caller },
        pauseMs: customer.pauseMs,
      });
      sip[scenario] = { phone: await ringing, customer: await calling };
    };
    await Promise.all([
      place('answered', { scenario: 'uas_answer.xml', pauseMs: RING_MS }, { scenario: 'uac_call.xml', pauseMs: TALK_MS }),
      place('busy', { scenario: 'uas_busy.xml', pauseMs: RING_MS }, { scenario: 'uac_busy.xml' }),
      place('noAnswer', { scenario: 'uas_ring.xml' }, { scenario: 'uac_no_answer.xml' }),
      place('canceled', { scenario: 'uas_ring.xml' }, { scenario: 'uac_cancel.xml', pauseMs: CANCEL_AFTER_MS }),
    ]);
    // Kamailio posts the last event right after the last SIP message: wait until every event was relayed.
    await eventually(async () => deliveries.filter((delivery) => delivery.event.type === 'call.ended').length === 4, 10_000);
    await eventually(async () => deliveries.every((delivery) => delivery.answers.length === 2), 10_000);
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    if (relay) await new Promise<void>((resolve) => relay.close(() => resolve()));
    await stack?.close();
  });

  const notesOn = async (contactId: number) =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=contacts&entityId=${contactId}`)).notes.filter((note) =>
      note.noteType.startsWith('call_'),
    );
  const loggedNote = (contactId: number) => eventually(async () => ((await notesOn(contactId)).length > 0 ? notesOn(contactId) : null), 15_000);
  const tasksOn = async (contactId: number) =>
    (await stack.sandbox.call<{ tasks: Task[] }>('GET', `/accounts/${DEMO.accountId}/tasks`)).tasks.filter(
      (task) => task.entityType === 'contacts' && task.entityId === contactId,
    );
  const eventsOf = (scenario: Scenario) => deliveries.filter((delivery) => delivery.event.extension === CALLS[scenario].extension).map((delivery) => delivery.event);

  it('completes every SIP dialog as scripted (each SIPp phone and customer exits 0)', () => {
    for (const [scenario, { phone, customer }] of Object.entries(sip)) {
      expect({ scenario, phone: phone.code, customer: customer.code, output: phone.code || customer.code ? `${phone.output}\n${customer.output}\n${bed?.log.slice(-3000)}` : '' }).toEqual({
        scenario,
        phone: 0,
        customer: 0,
        output: '',
      });
    }
  });

  it('logs the answered call as one call_in note on the known contact, with its talk time, for the extension’s manager', async () => {
    const [note] = await loggedNote(CALLS.answered.contact);
    expect(note).toMatchObject({ noteType: 'call_in', responsibleUserId: DEMO_ACCOUNT.users.manager2, params: expect.objectContaining({ call_status: 4 }) });
    // Kamailio measures the dialog in whole seconds: 2 s of talk reads as 2 or 3.
    expect(note.params.duration).toBeGreaterThanOrEqual(TALK_MS / 1000);
    expect(note.params.duration).toBeLessThanOrEqual(TALK_MS / 1000 + 1);
    expect(eventsOf('answered').map((event) => event.type)).toEqual(['call.ringing', 'call.answered', 'call.ended']);
    expect(await tasksOn(CALLS.answered.contact)).toHaveLength(0);
  });

  it.each([
    ['busy', 'busy', 7],
    ['noAnswer', 'missed', 6],
    ['canceled', 'canceled', 6],
  ] as const)('logs the %s call as a missed call_in (outcome %s → call_status %i) and creates one callback task', async (scenario, outcome, callStatus) => {
    const [note] = await loggedNote(CALLS[scenario].contact);
    expect(note).toMatchObject({ noteType: 'call_in', params: expect.objectContaining({ call_status: callStatus, duration: 0 }) });
    const events = eventsOf(scenario);
    expect(events.map((event) => event.type)).toEqual(['call.ringing', 'call.ended']);
    expect(events[1]).toMatchObject({ outcome, duration_sec: 0 });
    const tasks = await eventually(async () => ((await tasksOn(CALLS[scenario].contact)).length > 0 ? tasksOn(CALLS[scenario].contact) : null), 15_000);
    expect(tasks).toMatchObject([{ isCompleted: false }]);
  });

  it('logs each call exactly once although every signed event was delivered twice and the 200 OK retransmitted', async () => {
    for (const contact of Object.values(CALLS).map((call) => call.contact)) await loggedNote(contact);
    await stack.drain();
    expect(deliveries).toHaveLength(9); // 3 events for the answered call, 2 for each of the others: one per SIP event
    expect(new Set(deliveries.map((delivery) => delivery.event.event_id)).size).toBe(9);
    expect(new Set(deliveries.map((delivery) => delivery.event.call_id)).size).toBe(4);
    for (const { answers } of deliveries) {
      expect(answers).toEqual([
        { status: 202, body: { received: true, duplicate: false } },
        { status: 202, body: { received: true, duplicate: true } },
      ]);
    }
    for (const call of Object.values(CALLS)) expect(await notesOn(call.contact)).toHaveLength(1);
    const calls = (await stack.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls;
    expect(calls).toHaveLength(4);
    const inbox = await stack.dataSource.query<{ count: string }[]>('SELECT count(*) FROM call_webhook_inbox');
    expect(Number(inbox[0].count)).toBe(9);
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
