import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { ACME, DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const TWILIO = { accountSid: `AC${'d4'.repeat(16)}`, authToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
const MANAGER2 = DEMO_ACCOUNT.users.manager2;

interface LiveEvent {
  event: string;
  data: Record<string, unknown>;
}

interface LiveStream {
  readonly status: number;
  readonly contentType: string | null;
  readonly allowOrigin: string | null;
  readonly events: LiveEvent[];
  calls(): Record<string, unknown>[];
  close(): void;
}

/**
 * Caller ID over the live channel, end to end: the widget's ticket and SSE stream on the api, a Twilio call through
 * the Voice URL (ringing, published by the api) and its legs' status callbacks (answered/ended, published by the
 * worker), Redis pub/sub between them, the Kommo sandbox for the caller and Kommo's own call notification.
 */
describe('Caller ID live channel', () => {
  let stack: TestStack;
  let redis: Redis;
  let urls: Record<string, string>;
  let admin: string;
  let sequence = 0;
  const streams: LiveStream[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    redis = new Redis(stack.config.redisUrl);
  });
  afterAll(async () => {
    await redis.quit();
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId, ACME.accountId]);
    urls = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls;
    await stack.drain(); // users synced
    admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const mapped = await fetch(`${stack.apiUrl}/widget/extensions`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: [{ extension: 'client:manager_1002', userId: DEMO.manager }, { extension: '+14155550111', userId: MANAGER2 }] }),
    });
    expect(mapped.status).toBe(200);
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  const ticketFor = async (accountId: number, userId: number) => {
    const token = await stack.sandbox.jwt(accountId, userId);
    const response = await fetch(`${stack.apiUrl}/widget/live/ticket`, { method: 'POST', headers: { 'x-auth-token': token } });
    expect(response.status).toBe(200);
    return (await response.json()) as { ticket: string; expiresInSeconds: number; url: string };
  };

  /** What the widget's EventSource does: GET the URL and read `event:`/`data:` blocks as they arrive. */
  const open = async (url: string): Promise<LiveStream> => {
    const abort = new AbortController();
    const response = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream', origin: 'https://demo.kommo.com' } });
    const events: LiveEvent[] = [];
    const stream: LiveStream = {
      status: response.status,
      contentType: response.headers.get('content-type'),
      allowOrigin: response.headers.get('access-control-allow-origin'),
      events,
      calls: () => events.filter((event) => event.event === 'call').map((event) => event.data),
      close: () => abort.abort(),
    };
    streams.push(stream);
    if (response.status !== 200 || !response.body) return stream;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data) events.push({ event: name, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    })();
    await eventually(async () => events.some((event) => event.event === 'ready'), 5_000);
    return stream;
  };
  const listen = async (accountId: number, userId: number) => open((await ticketFor(accountId, userId)).url);

  const sid = () => `CA${(++sequence).toString(16).padStart(32, '0')}`;
  const voice = async (callSid: string, from: string) => {
    const response = await postTwilioWebhook(urls.voiceUrl, TWILIO.authToken, {
      AccountSid: TWILIO.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: callSid,
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: from,
      To: '+14155550199',
    });
    expect(response.status).toBe(200);
    return response.text();
  };
  const status = async (params: Record<string, string>) => {
    expect((await postTwilioWebhook(urls.statusCallbackUrl, TWILIO.authToken, { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', ...params })).status).toBe(204);
  };
  const callIdOf = async (callSid: string) =>
    eventually(async () => (await stack.dataSource.query<{ call_id: string }[]>('SELECT call_id FROM call_leg WHERE provider_call_id = $1', [callSid]))[0]?.call_id ?? null, 10_000);

  it('hands out single-use tickets: a used, expired or made-up ticket gets 401', async () => {
    expect((await fetch(`${stack.apiUrl}/widget/live/ticket`, { method: 'POST' })).status).toBe(401);
    const issued = await ticketFor(DEMO.accountId, DEMO.manager);
    expect(issued).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), expiresInSeconds: 60, url: `${stack.apiUrl}/widget/live?ticket=${issued.ticket}` });

    const stream = await open(issued.url);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    expect(stream.allowOrigin).toBe('https://demo.kommo.com'); // the widget's EventSource runs on the Kommo origin
    expect(stream.events[0]).toEqual({ event: 'ready', data: { userId: DEMO.manager, accountId: DEMO.accountId } });

    const reused = await fetch(issued.url);
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { message: string }).message).toContain('ticket');
    expect((await fetch(`${stack.apiUrl}/widget/live?ticket=${'x'.repeat(43)}`)).status).toBe(401);
    expect((await fetch(`${stack.apiUrl}/widget/live`)).status).toBe(401);

    const expiring = await ticketFor(DEMO.accountId, DEMO.manager);
    const key = `${stack.config.queuePrefix}:live:ticket:${createHash('sha256').update(expiring.ticket).digest('hex')}`;
    expect(await redis.ttl(key)).toBeGreaterThan(50); // stored hashed, for 60 s
    await redis.pexpire(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await fetch(expiring.url)).status).toBe(401);
  }, 60_000);

  it('a known caller: one ringing, answered and ended event to the responsible manager only, even when Twilio retries', async () => {
    const [manager, other, acme] = [await listen(DEMO.accountId, DEMO.manager), await listen(DEMO.accountId, MANAGER2), await listen(ACME.accountId, ACME.manager)];
    const parent = sid();
    const child = sid();
    expect(await voice(parent, DEMO_ACCOUNT.phones.oneActiveLead)).toContain('>manager_1002</Client>');
    const callId = await callIdOf(parent);

    await eventually(async () => manager.calls().length === 1, 10_000);
    expect(manager.calls()[0]).toEqual({
      callId,
      providerCallId: parent,
      phase: 'ringing',
      direction: 'inbound',
      phone: DEMO_ACCOUNT.phones.oneActiveLead,
      caller: {
        name: 'John Smith',
        entity: { type: 'contact', id: DEMO_ACCOUNT.contacts.oneActiveLead, name: 'John Smith', url: `https://demo.kommo.com/contacts/detail/${DEMO_ACCOUNT.contacts.oneActiveLead}` },
        activeLead: { id: DEMO_ACCOUNT.leads.oneActive, name: 'Solar panels for John', url: `https://demo.kommo.com/leads/detail/${DEMO_ACCOUNT.leads.oneActive}` },
        incomingLead: null,
        unknown: false,
        createContactUrl: 'https://demo.kommo.com/contacts/add/?phone=%2B14155550100',
      },
      managerUserId: DEMO.manager,
      durationSeconds: null,
      at: expect.any(String),
    });

    // The manager's client leg rings, is answered, the conversation ends; then Twilio retries everything.
    const leg = { CallSid: child, ParentCallSid: parent, Direction: 'outbound-dial', From: DEMO_ACCOUNT.phones.oneActiveLead, To: 'client:manager_1002' };
    const callbacks: Record<string, string>[] = [
      { ...leg, CallStatus: 'ringing', SequenceNumber: '0' },
      { ...leg, CallStatus: 'in-progress', SequenceNumber: '1' },
      { ...leg, CallStatus: 'completed', SequenceNumber: '2', CallDuration: '30' },
      { CallSid: parent, Direction: 'inbound', From: DEMO_ACCOUNT.phones.oneActiveLead, To: '+14155550199', CallStatus: 'completed', SequenceNumber: '1', CallDuration: '35' },
    ];
    for (const params of callbacks) await status(params);
    await eventually(async () => manager.calls().length === 3, 15_000);
    await voice(parent, DEMO_ACCOUNT.phones.oneActiveLead);
    for (const params of callbacks) await status(params);
    await stack.drain();
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(manager.calls().map((event) => event.phase)).toEqual(['ringing', 'answered', 'ended']);
    expect(manager.calls()[1]).toMatchObject({ callId, phase: 'answered', managerUserId: DEMO.manager, caller: { name: 'John Smith' } });
    expect(manager.calls()[2]).toMatchObject({ callId, phase: 'ended', managerUserId: DEMO.manager, durationSeconds: 30 });
    expect(other.calls()).toEqual([]);
    expect(acme.calls()).toEqual([]);
  }, 60_000);

  it('an unknown caller rings the group: each manager gets one popup offering "create contact", and Kommo its notification when enabled', async () => {
    const enabled = await fetch(`${stack.apiUrl}/widget/settings`, {
      method: 'PATCH',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ kommoCallNotifications: true }),
    });
    expect(enabled.status).toBe(200);
    const [manager, other, adminStream] = [await listen(DEMO.accountId, DEMO.manager), await listen(DEMO.accountId, MANAGER2), await listen(DEMO.accountId, DEMO.admin)];
    const parent = sid();
    await voice(parent, DEMO_ACCOUNT.phones.unknown);
    await eventually(async () => manager.calls().length === 1 && other.calls().length === 1, 10_000);
    for (const stream of [manager, other]) {
      expect(stream.calls()[0]).toMatchObject({
        phase: 'ringing',
        phone: DEMO_ACCOUNT.phones.unknown,
        managerUserId: null,
        caller: { name: null, entity: null, activeLead: null, unknown: true, createContactUrl: 'https://demo.kommo.com/contacts/add/?phone=%2B13105559999' },
      });
    }
    await voice(parent, DEMO_ACCOUNT.phones.unknown); // Twilio retry of the Voice URL
    const notified = await eventually(async () => {
      const { notifications } = await stack.sandbox.call<{ notifications: { userId: number; type: string; phoneNumber: string }[] }>('GET', `/accounts/${DEMO.accountId}/notifications`);
      return notifications.length >= 2 ? notifications : null;
    }, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(notified.map((item) => [item.userId, item.type, item.phoneNumber]).sort()).toEqual([
      [DEMO.manager, 'phone_call', DEMO_ACCOUNT.phones.unknown],
      [MANAGER2, 'phone_call', DEMO_ACCOUNT.phones.unknown],
    ]);
    expect((await stack.sandbox.call<{ notifications: unknown[] }>('GET', `/accounts/${DEMO.accountId}/notifications`)).notifications).toHaveLength(2);
    expect(manager.calls()).toHaveLength(1);
    expect(other.calls()).toHaveLength(1);
    expect(adminStream.calls()).toEqual([]); // not mapped: not rung, no popup

    // Nobody answered: the pipeline files an incoming lead; the next call from that number shows it in the popup.
    await status({ CallSid: parent, Direction: 'inbound', From: DEMO_ACCOUNT.phones.unknown, To: '+14155550199', CallStatus: 'no-answer', SequenceNumber: '1', CallDuration: '0' });
    await eventually(async () => (await stack.sandbox.call<{ unsorted?: unknown[] }>('GET', `/accounts/${DEMO.accountId}/unsorted`)).unsorted?.length === 1, 15_000);
    await voice(sid(), DEMO_ACCOUNT.phones.unknown);
    await eventually(async () => manager.calls().length === 2, 10_000);
    expect(manager.calls()[1]).toMatchObject({
      phase: 'ringing',
      caller: { unknown: true, incomingLead: { uid: expect.any(String), url: expect.stringMatching(/^https:\/\/demo\.kommo\.com\/leads\/detail\/\d+$/) } },
    });
  }, 60_000);
});
