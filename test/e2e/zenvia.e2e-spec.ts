import { PROVIDER_CLICK_TO_CALL_GATEWAYS, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import { VoipProvider } from '@app/domain';
import type { ClickToCallGateway, VoipConnectionRepository } from '@app/domain';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { startZenviaFake, ZenviaFake, zenviaFixture } from '../fakes/zenvia-fake';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';

const ACCESS_TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

interface Note {
  responsibleUserId: number;
  noteType: string;
  params: Record<string, unknown>;
}

/**
 * Zenvia end to end against an offline Zenvia (test/fakes/zenvia-fake.ts): status and end-of-call webhooks on the
 * secret URL → a Kommo call note with the recording through our proxy, wrong secret → 403 and nothing stored,
 * unknown statuses kept raw and counted, /chamada click-to-call, ramais for the mapping page.
 */
describe('Zenvia: webhooks → Kommo (sandbox)', () => {
  let stack: TestStack;
  let zenvia: ZenviaFake;
  let admin: string;
  let webhookUrl: string;

  beforeAll(async () => {
    zenvia = await startZenviaFake(ACCESS_TOKEN);
    stack = await startTestStack({ env: { ZENVIA_API_BASE_URL: zenvia.url } });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await zenvia?.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const connected = await widget('PUT', '/widget/voip-connection', { provider: 'zenvia', credentials: { accessToken: ACCESS_TOKEN } });
    expect(connected.status).toBe(200);
    webhookUrl = ((await connected.json()) as { connection: { webhookUrls: { webhookUrl: string } } }).connection.webhookUrls.webhookUrl;
  });

  const widget = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.apiUrl}${path}`, { method, headers: { 'x-auth-token': admin, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const inboxKinds = async () => (await stack.dataSource.query<{ kind: string }[]>('SELECT kind FROM call_webhook_inbox ORDER BY id')).map((row) => row.kind);
  /** A documented Zenvia call object, re-pointed at the demo customer with one active lead. */
  const toDemoCustomer = (name: string) => {
    const payload = zenviaFixture(name);
    (payload.destino as Record<string, unknown>).numero = DEMO_ACCOUNT.phones.oneActiveLead;
    return payload;
  };
  const notes = async () =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=leads&entityId=${DEMO_ACCOUNT.leads.oneActive}`)).notes.filter((note) => note.noteType.startsWith('call_'));

  it('logs a click-to-call from status_tempo_real + chamada_fim once, for the mapped ramal, with the recording via the API', async () => {
    await stack.drain(); // users synced
    expect((await widget('PUT', '/widget/extensions', { extensions: [{ extension: '4000', userId: DEMO.manager }] })).status).toBe(200);
    for (const name of ['status-tempo-real-chamando.json', 'status-tempo-real-atendida.json', 'chamada-fim.json', 'chamada-fim.json']) {
      const response = await post(webhookUrl, toDemoCustomer(name));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ received: true, recognised: true });
    }
    const [note] = await eventually(async () => {
      const found = await notes();
      return found.length > 0 && typeof found[0].params.link === 'string' ? found : null;
    }, 15_000);
    expect(note).toMatchObject({ noteType: 'call_out', responsibleUserId: DEMO.manager, params: expect.objectContaining({ duration: 28, phone: DEMO_ACCOUNT.phones.oneActiveLead }) });
    expect(await notes()).toHaveLength(1);
    const audio = await fetch(note.params.link as string, { headers: { range: 'bytes=0-99' } });
    expect(audio.status).toBe(206);
    expect(Buffer.from(await audio.arrayBuffer()).equals(zenvia.audio.subarray(0, 100))).toBe(true);
    expect(zenvia.requests.at(-1)).toMatchObject({ method: 'GET', path: '/chamada/37785949/gravacao', token: ACCESS_TOKEN });
  }, 30_000);

  it('refuses a wrong or missing secret in the URL (403 / 404) and stores nothing; junk is 400', async () => {
    const wrong = webhookUrl.replace(/\/zenvia\/[^/]+\//, `/zenvia/${'Z'.repeat(43)}/`);
    expect((await post(wrong, zenviaFixture('chamada-fim.json'))).status).toBe(403);
    const tampered = webhookUrl.replace(/\/zenvia\/([^/]+)\//, (_match, key: string) => `/zenvia/${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}/`);
    expect((await post(tampered, zenviaFixture('chamada-fim.json'))).status).toBe(403);
    expect((await post(webhookUrl.replace(/\/zenvia\/[^/]+\//, '/zenvia//'), zenviaFixture('chamada-fim.json'))).status).toBe(404);
    expect((await post(webhookUrl, { status_geral: 'finalizada' })).status).toBe(400);
    expect((await post(webhookUrl, [1, 2])).status).toBe(400);
    expect(await inboxKinds()).toEqual([]);
  }, 30_000);

  it('stores a payload with an unknown status raw (not interpreted, no note), reports it, and keeps going', async () => {
    const response = await post(webhookUrl, zenviaFixture('unknown-status.json'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, recognised: false, duplicate: false });
    expect(await inboxKinds()).toEqual(['zenvia.unrecognised']);
    await stack.drain();
    const status = (await (await widget('GET', '/widget/voip-connection/provider-status')).json()) as { unrecognisedDeliveries: number; provider: string };
    expect(status).toMatchObject({ provider: 'zenvia', unrecognisedDeliveries: 1 });
    expect(await (await fetch(`${stack.apiUrl}/metrics`)).text()).toMatch(/^kommo_voip_webhooks_unrecognised_total\{provider="zenvia"\} 1$/m);
    expect(await notes()).toEqual([]);
    // The next call still goes through.
    expect((await post(webhookUrl, toDemoCustomer('chamada-fim-sem-resposta.json'))).status).toBe(200);
    await eventually(async () => ((await notes()).length === 1 ? true : null), 15_000);
  }, 30_000);

  it('places a two-leg /chamada as the Zenvia click-to-call gateway, and lists the ramais', async () => {
    const gateway = stack.api.get<readonly ClickToCallGateway[]>(PROVIDER_CLICK_TO_CALL_GATEWAYS).find((candidate) => candidate.provider === VoipProvider.Zenvia)!;
    const connection = (await stack.api.get<VoipConnectionRepository>(VOIP_CONNECTION_REPOSITORY).findForAccount(DEMO.accountId))!;
    await expect(gateway.placeCall({ connection, managerIdentity: '4000', customerE164: '+5511987654321', callerIdE164: '+5511912345678' })).resolves.toEqual({ providerCallId: '37785970' });
    expect(zenvia.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/chamada',
      token: ACCESS_TOKEN,
      body: { numero_origem: '4000', numero_destino: '+5511987654321', gravar_audio: true, bina_destino: '+5511912345678', tags: 'kommo' },
    });
    await expect(gateway.placeCall({ connection, managerIdentity: '4000', customerE164: 'x', callerIdE164: null })).rejects.toMatchObject({ reason: 'provider_rejected' });
    await stack.drain(); // users synced
    expect((await widget('PUT', '/widget/extensions', { extensions: [{ extension: '+5511912345670', userId: DEMO.admin }] })).status).toBe(200);
    const placed = await widget('POST', '/widget/calls', { phone: '+55 11 98765-4321', mode: 'callback' });
    expect(placed.status).toBe(202);
    expect(await placed.json()).toEqual({ mode: 'callback', providerCallId: '37785970' });
    expect(zenvia.requests.at(-1)).toMatchObject({ path: '/chamada', body: { numero_origem: '+5511912345670', numero_destino: '+5511987654321' } });
    const listed = await (await widget('GET', '/widget/extensions/provider')).json();
    expect(listed).toEqual({ provider: 'zenvia', items: [{ identity: '4000', name: '4000 · Anna', kind: 'webphone' }, { identity: '4001', name: '4001 · bruno@example.com', kind: 'ramal' }] });
  }, 30_000);
});
