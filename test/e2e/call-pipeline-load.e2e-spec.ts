import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { signGenericPbxPayload } from '@app/voip';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { connectVoip, postTwilioWebhook } from '../utils/voip';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';

const TWILIO = { accountSid: `AC${'c4'.repeat(16)}`, authToken: 'fedcba9876543210fedcba9876543210' };

interface RequestLog {
  counts: Record<string, Record<string, number>>;
  maxPerSecond: Record<string, number>;
  refusals: { status: number }[];
}

/** Bursts and the generic PBX contract through the whole pipeline, against the sandbox's limits. */
describe('Call pipeline under load (sandbox limits enforced)', () => {
  let stack: TestStack;

  let media: Server;
  let mediaHost: string;
  const AUDIO = Buffer.from('ID3-fake-mp3-bytes-for-the-player');

  beforeAll(async () => {
    media = createServer((request, response) => {
      if (request.url !== '/recordings/1700000000.42.mp3') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': AUDIO.length }).end(AUDIO);
    });
    await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    mediaHost = `127.0.0.1:${(media.address() as AddressInfo).port}`;
    // The PBX (our fake) lives on this machine's network: allowed explicitly, as an operator would for a LAN PBX.
    stack = await startTestStack({ env: { RECORDINGS_ALLOW_PRIVATE_NETWORK: 'true' } });
  });
  afterAll(async () => {
    await stack.close();
    await new Promise<void>((resolve) => media.close(() => resolve()));
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    await stack.drain();
  });

  const connect = (provider: 'twilio' | 'generic_pbx', credentials: Record<string, string> = {}) =>
    connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider, credentials });
  const requestLog = () => stack.sandbox.call<RequestLog>('GET', `/requests?accountId=${DEMO.accountId}`);

  it('logs 1,000 calls that end within one second: all logged, ≤ 50 per POST /api/v4/calls, never over 7 req/s, no 429', async () => {
    const { connection } = await connect('twilio', TWILIO);
    const url = connection.webhookUrls.statusCallbackUrl;
    const total = 1000;
    const sids = Array.from({ length: total }, (_, index) => `CA${(0xabc000 + index).toString(16).padStart(32, '0')}`);
    const callers = Object.values(DEMO_ACCOUNT.phones).filter((phone) => phone !== DEMO_ACCOUNT.phones.unknown);
    await Promise.all(
      sids.map(async (callSid, index) => {
        const params = {
          AccountSid: TWILIO.accountSid,
          CallSid: callSid,
          CallStatus: 'completed',
          CallDuration: String(10 + (index % 50)),
          Direction: 'inbound',
          From: callers[index % callers.length],
          To: '+14155550199',
          SequenceNumber: '2',
          Timestamp: new Date(Date.UTC(2026, 10, 24, 11, 0, 0)).toUTCString(),
        };
        expect((await postTwilioWebhook(url, TWILIO.authToken, params)).status).toBe(204);
      }),
    );

    await eventually(async () => (await stack.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls.length >= total, 90_000, 250);
    await stack.drain(30_000);
    const calls = (await stack.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${DEMO.accountId}/calls`)).calls;
    expect(calls).toHaveLength(total);
    const log = await requestLog();
    const posts = log.counts[String(DEMO.accountId)]?.['POST /api/v4/calls'] ?? 0;
    expect(posts).toBeGreaterThanOrEqual(total / 50);
    expect(posts).toBeLessThanOrEqual(total / 50);
    expect(log.maxPerSecond[String(DEMO.accountId)]).toBeLessThanOrEqual(7);
    expect(log.refusals).toEqual([]);
  }, 120_000);

  it('logs a call sent through the generic PBX contract, and its recording from the configured PBX host', async () => {
    const { connection, generatedSecrets } = await connect('generic_pbx', { recordingHost: mediaHost });
    const event = {
      event_id: 'asterisk-1700000000.42-end',
      call_id: '1700000000.42',
      type: 'call.ended',
      occurred_at: '2026-11-24T11:00:42Z',
      direction: 'inbound',
      from: '8 (916) 123-45-67',
      to: '101',
      outcome: 'answered',
      duration_sec: 42,
    };
    const raw = JSON.stringify({ ...event, from: DEMO_ACCOUNT.phones.severalActiveLeads });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(connection.webhookUrls.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pbx-timestamp': String(timestamp), 'x-pbx-signature': signGenericPbxPayload(generatedSecrets.signingSecret, timestamp, raw) },
      body: raw,
    });
    expect(response.status).toBe(202);
    const notes = await eventually(async () => {
      const found = (
        await stack.sandbox.call<{ notes: { noteType: string; params: Record<string, unknown> }[] }>(
          'GET',
          `/accounts/${DEMO.accountId}/notes?entityType=contacts&entityId=${DEMO_ACCOUNT.contacts.severalActiveLeads}`,
        )
      ).notes.filter((note) => note.noteType === 'call_in');
      return found.length > 0 ? found : null;
    }, 15_000);
    expect(notes).toHaveLength(1);
    expect(notes[0].params).toMatchObject({ duration: 42, source: 'generic_pbx' });

    const recordingEvent = JSON.stringify({
      ...event,
      event_id: 'asterisk-1700000000.42-rec',
      type: 'call.recording.ready',
      outcome: undefined,
      recording_url: `http://${mediaHost}/recordings/1700000000.42.mp3`,
    });
    const at = Math.floor(Date.now() / 1000);
    const recorded = await fetch(connection.webhookUrls.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pbx-timestamp': String(at), 'x-pbx-signature': signGenericPbxPayload(generatedSecrets.signingSecret, at, recordingEvent) },
      body: recordingEvent,
    });
    expect(recorded.status).toBe(202);
    const link = await eventually(async () => {
      const [note] = (
        await stack.sandbox.call<{ notes: { noteType: string; params: Record<string, unknown> }[] }>(
          'GET',
          `/accounts/${DEMO.accountId}/notes?entityType=contacts&entityId=${DEMO_ACCOUNT.contacts.severalActiveLeads}`,
        )
      ).notes.filter((candidate) => candidate.noteType === 'call_in');
      return typeof note?.params.link === 'string' ? note.params.link : null;
    }, 15_000);
    const audio = await fetch(link);
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).equals(AUDIO)).toBe(true);
  }, 60_000);
});
