import { CALL_WEBHOOK_INBOX, QueueName } from '@app/application';
import { RelayCallWebhookInboxUseCase } from '@app/domain';
import { getQueueToken } from '@nestjs/bull';
import { signGenericPbxPayload } from '@app/voip';
import { Queue } from 'bull';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { freshInstall } from '../utils/kommo-install';
import { connectVoip, postTwilioWebhook } from '../utils/voip';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';

const TWILIO = { accountSid: `AC${'b2'.repeat(16)}`, authToken: '0123456789abcdef0123456789abcdef' };
const CALL_SID = `CA${'c3'.repeat(16)}`;

/** Voip/Handle over real HTTP: signed provider webhooks → inbox (PostgreSQL) → job (Redis). */
describe('VoIP webhook ingest (signatures, inbox, queue)', () => {
  let stack: TestStack;
  let queue: Queue;

  beforeAll(async () => {
    stack = await startTestStack();
    queue = stack.api.get<Queue>(getQueueToken(QueueName.CallWebhooks));
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    // Nothing consumes the call queue yet in this suite's assertions: pause it so jobs stay countable.
    await queue.pause(false);
  });

  const connect = (provider: 'twilio' | 'generic_pbx', credentials: Record<string, string> = {}) =>
    connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider, credentials });
  const inboxRows = () => stack.dataSource.query<{ id: string; dedupe_key: string; kind: string; account_id: string }[]>('SELECT * FROM call_webhook_inbox ORDER BY id');
  const jobIds = async () => (await queue.getJobs(['waiting', 'paused', 'active', 'delayed', 'completed'])).map((job) => String(job.id)).sort();

  describe('Twilio', () => {
    const statusParams = (overrides: Record<string, string> = {}) => ({
      AccountSid: TWILIO.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: CALL_SID,
      CallStatus: 'completed',
      CallDuration: '42',
      Direction: 'inbound',
      From: '+14155550100',
      To: '+14155550199',
      SequenceNumber: '3',
      Timestamp: 'Tue, 24 Nov 2026 10:00:00 +0000',
      CallbackSource: 'call-progress-events',
      ...overrides,
    });
    const post = (url: string, params: Record<string, string>, signature?: string) => postTwilioWebhook(url, TWILIO.authToken, params, signature);

    it('stores a signed status callback once and enqueues one job for it, even when delivered 3× at once', async () => {
      const { connection } = await connect('twilio', TWILIO);
      const url = connection.webhookUrls.statusCallbackUrl;

      const answers = await Promise.all([post(url, statusParams()), post(url, statusParams()), post(url, statusParams())]);

      expect(answers.map((answer) => answer.status)).toEqual([204, 204, 204]);
      const rows = await inboxRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ dedupe_key: `${CALL_SID}:completed:3`, kind: 'twilio.call-status', account_id: String(DEMO.accountId) });
      expect(await jobIds()).toEqual([`voip.process-call-webhook-inbox-${rows[0].id}`]);
    });

    it('keeps the signed query string part of the URL (status callbacks with parameters)', async () => {
      const { connection } = await connect('twilio', TWILIO);
      const url = `${connection.webhookUrls.statusCallbackUrl}?leg=parent`;
      expect((await post(url, statusParams())).status).toBe(204);
      // Signed for the URL without the query: Twilio would never send that.
      const unsigned = getExpectedTwilioSignature(TWILIO.authToken, connection.webhookUrls.statusCallbackUrl, statusParams({ SequenceNumber: '4' }));
      expect((await post(url, statusParams({ SequenceNumber: '4' }), unsigned)).status).toBe(403);
    });

    it('stores a recording callback under its own key', async () => {
      const { connection } = await connect('twilio', TWILIO);
      const params = {
        AccountSid: TWILIO.accountSid,
        CallSid: CALL_SID,
        RecordingSid: `RE${'d4'.repeat(16)}`,
        RecordingStatus: 'completed',
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${TWILIO.accountSid}/Recordings/RE${'d4'.repeat(16)}`,
        RecordingDuration: '41',
      };
      expect((await post(connection.webhookUrls.recordingStatusCallbackUrl, params)).status).toBe(204);
      expect((await inboxRows()).map((row) => row.kind)).toEqual(['twilio.recording-status']);
    });

    it.each([
      ['no signature', (url: string) => post(url, statusParams(), '')],
      ['a signature made with another token', (url: string) => post(url, statusParams(), getExpectedTwilioSignature('f'.repeat(32), url, statusParams()))],
      ['a tampered parameter', (url: string) => post(url, statusParams({ CallDuration: '4200' }), getExpectedTwilioSignature(TWILIO.authToken, url, statusParams()))],
      ['another Twilio account (signed with our token)', (url: string) => post(url, statusParams({ AccountSid: `AC${'e5'.repeat(16)}` }))],
    ])('answers 403 and stores nothing for %s', async (_name, send) => {
      const { connection } = await connect('twilio', TWILIO);
      const answer = await send(connection.webhookUrls.statusCallbackUrl);
      expect(answer.status).toBe(403);
      expect(await inboxRows()).toHaveLength(0);
      expect(await jobIds()).toEqual([]);
    });

    it('answers 404 for an unknown key and for a PBX key used on the Twilio URL', async () => {
      await connect('twilio', TWILIO);
      const unknown = await post(`${stack.apiUrl}/voip/twilio/${'x'.repeat(32)}/status`, statusParams());
      expect(unknown.status).toBe(404);
      const { connection } = await connect('generic_pbx');
      const pbxKey = connection.webhookUrls.eventsUrl.split('/').at(-2)!;
      expect((await post(`${stack.apiUrl}/voip/twilio/${pbxKey}/status`, statusParams())).status).toBe(404);
      expect(await inboxRows()).toHaveLength(0);
    });

    it('answers 400 for a signed callback without CallSid/CallStatus', async () => {
      const { connection } = await connect('twilio', TWILIO);
      const { CallSid: _dropped, ...withoutSid } = statusParams();
      const answer = await post(connection.webhookUrls.statusCallbackUrl, withoutSid);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { message: string }).message).toContain('CallSid');
      expect(await inboxRows()).toHaveLength(0);
    });
  });

  describe('generic PBX contract', () => {
    const event = (overrides: Record<string, unknown> = {}) => ({
      event_id: 'pbx-evt-1',
      call_id: 'a84b4c76e66710@pbx.local',
      type: 'call.ended',
      occurred_at: '2026-11-24T10:00:42Z',
      direction: 'inbound',
      from: '+14155550100',
      to: '100',
      extension: '101',
      outcome: 'answered',
      duration_sec: 42,
      ...overrides,
    });
    const send = (url: string, secret: string, body: unknown, options: { timestamp?: number; raw?: string; signature?: string } = {}) => {
      const raw = options.raw ?? JSON.stringify(body);
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pbx-timestamp': String(timestamp),
          'x-pbx-signature': options.signature ?? signGenericPbxPayload(secret, timestamp, raw),
        },
        body: raw,
      });
    };

    it('accepts a signed event once; a redelivery is acknowledged as a duplicate', async () => {
      const { connection, generatedSecrets } = await connect('generic_pbx');
      const url = connection.webhookUrls.eventsUrl;
      const first = await send(url, generatedSecrets.signingSecret, event());
      expect(first.status).toBe(202);
      expect(await first.json()).toEqual({ received: true, duplicate: false });
      const again = await send(url, generatedSecrets.signingSecret, event({ duration_sec: 43 }));
      expect(await again.json()).toEqual({ received: true, duplicate: true });

      const rows = await inboxRows();
      expect(rows.map((row) => row.dedupe_key)).toEqual(['pbx-evt-1']);
      expect(await jobIds()).toEqual([`voip.process-call-webhook-inbox-${rows[0].id}`]);
    });

    it.each([
      ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
      ['a wrong signature', { signature: `v1=${'0'.repeat(64)}` }],
      ['no signature', { signature: '' }],
    ])('answers 403 for %s and stores nothing', async (_name, options) => {
      const { connection, generatedSecrets } = await connect('generic_pbx');
      const answer = await send(connection.webhookUrls.eventsUrl, generatedSecrets.signingSecret, event(), options);
      expect(answer.status).toBe(403);
      expect(await inboxRows()).toHaveLength(0);
    });

    it('answers 400 with the reasons for a malformed (but signed) event', async () => {
      const { connection, generatedSecrets } = await connect('generic_pbx');
      const url = connection.webhookUrls.eventsUrl;
      const bad = await send(url, generatedSecrets.signingSecret, event({ type: 'call.exploded', outcome: undefined, occurred_at: 'yesterday' }));
      expect(bad.status).toBe(400);
      const message = JSON.stringify(((await bad.json()) as { message: unknown }).message);
      expect(message).toContain('type must be one of');
      expect(message).toContain('occurred_at');
      const notJson = await send(url, generatedSecrets.signingSecret, null, { raw: '{"event_id": ' });
      expect(notJson.status).toBe(400);
      const ended = await send(url, generatedSecrets.signingSecret, event({ outcome: undefined }));
      expect(ended.status).toBe(400);
      expect(await inboxRows()).toHaveLength(0);
    });

    it('answers 413 for a body over 64 KB', async () => {
      const { connection, generatedSecrets } = await connect('generic_pbx');
      const answer = await send(connection.webhookUrls.eventsUrl, generatedSecrets.signingSecret, event({ padding: 'x'.repeat(70 * 1024) }));
      expect(answer.status).toBe(413);
      expect(await inboxRows()).toHaveLength(0);
    });
  });

  it('relays inbox rows whose job never reached the queue', async () => {
    const { connection } = await connect('generic_pbx');
    const inbox = stack.api.get<{ add: (delivery: unknown) => Promise<{ id: string }> }>(CALL_WEBHOOK_INBOX);
    // A row committed while Redis was unreachable: in the inbox, never enqueued.
    const { id } = await inbox.add({
      accountId: DEMO.accountId,
      connectionId: (await stack.dataSource.query<{ id: string }[]>('SELECT id FROM voip_connection'))[0].id,
      provider: 'generic_pbx',
      kind: 'pbx.event',
      dedupeKey: 'stranded-1',
      payload: { event_id: 'stranded-1' },
      receivedAt: new Date(Date.now() - 60_000),
    });
    expect(connection.webhookUrls.eventsUrl).toBeDefined();

    const relayed = await stack.worker.get(RelayCallWebhookInboxUseCase).execute();

    expect(relayed.relayed).toBe(1);
    expect(await jobIds()).toEqual([`voip.process-call-webhook-inbox-${id}`]);
    const [row] = await stack.dataSource.query<{ enqueued_at: Date | null }[]>('SELECT enqueued_at FROM call_webhook_inbox WHERE id = $1', [id]);
    expect(row.enqueued_at).not.toBeNull();
  });
});
