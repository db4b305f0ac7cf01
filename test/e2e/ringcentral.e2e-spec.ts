import { PROVIDER_CLICK_TO_CALL_GATEWAYS } from '@app/application';
import { VoipProvider } from '@app/domain';
import type { ClickToCallGateway, VoipConnectionRepository } from '@app/domain';
import { VOIP_CONNECTION_REPOSITORY } from '@app/application';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { rcFixture, RingCentralFake, startRingCentralFake } from '../fakes/ringcentral-fake';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';

const CREDENTIALS = { clientId: 'rcClientId_0123456789', clientSecret: 'rcClientSecret_0123456789abcdef', jwt: 'eyJraWQiOiJhIn0.eyJzdWIiOiI2MjI2NDQyNTAxMiJ9.c2lnbmF0dXJl' };
const SESSION = 's-a0d7c4b6e1e4fz17c5d9d1b9ez1c8f4b0000';

interface Note {
  responsibleUserId: number;
  noteType: string;
  params: Record<string, unknown>;
}

/**
 * RingCentral end to end, against an offline RingCentral (test/fakes/ringcentral-fake.ts): JWT auth, the webhook
 * subscription with its validation handshake, telephony-session deliveries → a Kommo call note, the recording
 * from the call log through our proxy, bad deliveries refused, blacklisted subscriptions re-created, extensions
 * for the mapping page, RingOut.
 */
describe('RingCentral: subscription → telephony sessions → Kommo (sandbox)', () => {
  let stack: TestStack;
  let rc: RingCentralFake;
  let admin: string;

  beforeAll(async () => {
    rc = await startRingCentralFake(CREDENTIALS);
    stack = await startTestStack({ env: { RINGCENTRAL_API_BASE_URL: rc.url, RINGCENTRAL_MEDIA_BASE_URL: rc.url, RINGCENTRAL_RECORDING_DELAY_SECONDS: '0' } });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await rc?.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const connected = await widget('PUT', '/widget/voip-connection', { provider: 'ringcentral', credentials: CREDENTIALS });
    expect(connected.status).toBe(200);
    rc.callLog = [];
    rc.handshakes.length = 0;
  });

  const widget = (method: string, path: string, body?: unknown, token = admin) =>
    fetch(`${stack.apiUrl}${path}`, { method, headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const subscribe = async () => {
    const response = await widget('POST', '/widget/voip-connection/provider-subscription');
    expect(response.status).toBe(200);
    return ((await response.json()) as { subscription: { status: string; subscriptionId: string; recreatedCount: number; error: string | null } }).subscription;
  };
  const inboxCount = async () => Number((await stack.dataSource.query('SELECT count(*)::int AS n FROM call_webhook_inbox'))[0].n);
  const notes = async () =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=leads&entityId=${DEMO_ACCOUNT.leads.oneActive}`)).notes.filter((note) => note.noteType.startsWith('call_'));

  it('subscribes (handshake echoed within 3 s), logs an inbound call once for the mapped manager, and attaches the recording from the call log', async () => {
    const subscription = await subscribe();
    expect(subscription).toMatchObject({ status: 'active', recreatedCount: 0, error: null });
    expect(rc.handshakes).toHaveLength(1);
    expect(rc.handshakes[0]).toMatchObject({ status: 200, echoed: true });
    expect(rc.handshakes[0].ms).toBeLessThan(3000);
    expect(rc.handshakes[0].bytes).toBeLessThanOrEqual(1024);
    expect(rc.tokenGrants).toContain('urn:ietf:params:oauth:grant-type:jwt-bearer');

    // The mapping page lists RingCentral's extensions; the admin maps Anna's to the Kommo manager.
    const listed = (await (await widget('GET', '/widget/extensions/provider')).json()) as { provider: string; items: { identity: string; name: string; kind: string }[] };
    expect(listed).toEqual({
      provider: 'ringcentral',
      items: [
        { identity: 'rc_62264425012', name: '101 · Anna Manager', kind: 'User' },
        { identity: 'rc_62264425013', name: '102 · Bruno Sales', kind: 'User' },
        { identity: 'rc_62264425020', name: '200 · Sales Queue', kind: 'Department' },
      ],
    });
    await stack.drain(); // users synced
    expect((await widget('PUT', '/widget/extensions', { extensions: [{ extension: 'rc_62264425012', userId: DEMO.manager }] })).status).toBe(200);

    rc.callLog = [(rcFixture<{ records: Record<string, unknown>[] }>('call-log.json').records)[0]];
    const events = ['setup', 'proceeding', 'answered', 'disconnected'].map((name) => rcFixture(`telephony-session-inbound-${name}.json`));
    for (const envelope of [...events, events[3]]) expect((await rc.deliver(subscription.subscriptionId, envelope)).status).toBe(200); // last one: a retry
    const [note] = await eventually(async () => {
      const found = await notes();
      return found.length > 0 ? found : null;
    }, 15_000);
    expect(note).toMatchObject({ noteType: 'call_in', responsibleUserId: DEMO.manager, params: expect.objectContaining({ duration: 42, phone: '+14155550100' }) });

    // The recording look-up found the session in the call log: the same note gets our signed link.
    const link = await eventually(async () => {
      const [updated] = await notes();
      return typeof updated?.params.link === 'string' ? updated.params.link : null;
    }, 15_000);
    expect(await notes()).toHaveLength(1);
    const partial = await fetch(link, { headers: { range: 'bytes=10-19' } });
    expect(partial.status).toBe(206);
    expect(Buffer.from(await partial.arrayBuffer()).equals(rc.media.subarray(10, 20))).toBe(true);
    const mediaRequest = rc.requests.filter((request) => request.path.endsWith('/content')).at(-1);
    expect(mediaRequest).toMatchObject({ path: '/restapi/v1.0/account/256440016/recording/4144165016/content', authorization: expect.stringMatching(/^Bearer AT-/) });
    expect(rc.requests.some((request) => request.path.startsWith('/restapi/v1.0/account/~/call-log') && request.path.includes(`telephonySessionId=${SESSION}`))).toBe(true);
  }, 60_000);

  it('refuses deliveries without or with a wrong Verification-Token (403), and stores nothing', async () => {
    const subscription = await subscribe();
    const envelope = rcFixture('telephony-session-inbound-answered.json');
    expect((await rc.deliver(subscription.subscriptionId, envelope, null)).status).toBe(403);
    expect((await rc.deliver(subscription.subscriptionId, envelope, 'not-the-token')).status).toBe(403);
    expect((await rc.deliver(subscription.subscriptionId, envelope, `${rc.subscriptions.get(subscription.subscriptionId)!.verificationToken}x`)).status).toBe(403);
    const address = rc.subscriptions.get(subscription.subscriptionId)!.address;
    expect((await fetch(address.replace(/\/ringcentral\/[^/]+\//, `/ringcentral/${'x'.repeat(32)}/`), { method: 'POST', headers: { 'content-type': 'application/json', 'verification-token': 'a' }, body: '{}' })).status).toBe(404);
    expect((await rc.deliver(subscription.subscriptionId, { body: { telephonySessionId: SESSION } })).status).toBe(400);
    expect(await inboxCount()).toBe(0);
    expect(await stack.sandbox.call<{ notes: unknown[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=leads&entityId=${DEMO_ACCOUNT.leads.oneActive}`)).toMatchObject({ notes: [] });
  }, 30_000);

  it('answers the validation handshake within 3 s while 200 deliveries are in flight', async () => {
    const subscription = await subscribe();
    const address = rc.subscriptions.get(subscription.subscriptionId)!.address;
    const base = rcFixture<Record<string, unknown>>('telephony-session-inbound-proceeding.json');
    const deliveries = Array.from({ length: 200 }, (_, index) => rc.deliver(subscription.subscriptionId, { ...base, uuid: `load-${index}` }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const handshake = await fetch(address, { method: 'POST', headers: { 'validation-token': 'handshake-under-load-0123456789', 'content-type': 'application/json' } });
    const handshakeMs = Date.now() - started;
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('validation-token')).toBe('handshake-under-load-0123456789');
    expect(handshakeMs).toBeLessThan(3000);
    const statuses = await Promise.all(deliveries.map(async (delivery) => (await delivery).status));
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await inboxCount()).toBe(200);
    process.stdout.write(`RingCentral handshake under 200 in-flight deliveries: ${handshakeMs} ms\n`);
  }, 60_000);

  it('re-creates a blacklisted subscription (new token; the old one is refused) and shows it to the admin', async () => {
    const first = await subscribe();
    const oldToken = rc.subscriptions.get(first.subscriptionId)!.verificationToken;
    rc.subscriptions.get(first.subscriptionId)!.status = 'Blacklisted';
    const second = await subscribe();
    expect(second).toMatchObject({ status: 'active', recreatedCount: 1, error: 're-created: RingCentral blacklisted it' });
    expect(second.subscriptionId).not.toBe(first.subscriptionId);
    expect(rc.subscriptions.has(first.subscriptionId)).toBe(false); // deleted before re-creating
    expect(rc.handshakes).toHaveLength(2);
    const status = (await (await widget('GET', '/widget/voip-connection/provider-status')).json()) as { subscription: { status: string; recreatedCount: number } };
    expect(status.subscription).toMatchObject({ status: 'active', recreatedCount: 1 });
    expect(JSON.stringify(status)).not.toContain(rc.subscriptions.get(second.subscriptionId)!.verificationToken);
    expect((await rc.deliver(second.subscriptionId, rcFixture('telephony-session-inbound-setup.json'), oldToken)).status).toBe(403);
    expect((await rc.deliver(second.subscriptionId, rcFixture('telephony-session-inbound-setup.json'))).status).toBe(200);
    // A healthy subscription is only checked, not re-created.
    expect(await subscribe()).toMatchObject({ subscriptionId: second.subscriptionId, recreatedCount: 1 });
    const manager = await stack.sandbox.jwt(DEMO.accountId, DEMO.manager);
    expect((await widget('POST', '/widget/voip-connection/provider-subscription', undefined, manager)).status).toBe(403);
  }, 30_000);

  it('places a RingOut as the RingCentral click-to-call gateway', async () => {
    const gateway = stack.api.get<readonly ClickToCallGateway[]>(PROVIDER_CLICK_TO_CALL_GATEWAYS).find((candidate) => candidate.provider === VoipProvider.RingCentral)!;
    const connection = (await stack.api.get<VoipConnectionRepository>(VOIP_CONNECTION_REPOSITORY).findForAccount(DEMO.accountId))!;
    await expect(gateway.placeCall({ connection, managerIdentity: '+14155550199', customerE164: '+14155550100', callerIdE164: null })).resolves.toEqual({ providerCallId: '234343434' });
    expect(rc.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/restapi/v1.0/account/~/extension/~/ring-out',
      body: { from: { phoneNumber: '+14155550199' }, to: { phoneNumber: '+14155550100' }, playPrompt: false },
    });
    await expect(gateway.placeCall({ connection, managerIdentity: 'rc_62264425012', customerE164: '+1', callerIdE164: null })).rejects.toMatchObject({ reason: 'provider_rejected' });

    // Through the widget's click-to-call endpoint: the manager's mapped phone is rung first (RingOut `from`).
    await stack.drain(); // users synced
    expect((await widget('PUT', '/widget/extensions', { extensions: [{ extension: '+14155550199', userId: DEMO.manager }] })).status).toBe(200);
    const manager = await stack.sandbox.jwt(DEMO.accountId, DEMO.manager);
    const placed = await widget('POST', '/widget/calls', { phone: '+1 (415) 555-0100', mode: 'callback' }, manager);
    expect(placed.status).toBe(202);
    expect(await placed.json()).toEqual({ mode: 'callback', providerCallId: '234343434' });
    expect(rc.requests.at(-1)).toMatchObject({ path: '/restapi/v1.0/account/~/extension/~/ring-out', body: { from: { phoneNumber: '+14155550199' }, to: { phoneNumber: '+14155550100' } } });
  }, 30_000);
});
