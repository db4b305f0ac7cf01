import { createHmac, randomUUID } from 'node:crypto';
import { freshInstall } from '../utils/kommo-install';
import { ACME, DEMO, startTestStack, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TestStack } from '../utils/test-stack';

const TWILIO = { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'f'.repeat(28) + '9876' };

describe('Widget settings API (X-Auth-Token JWT, tenant from verified claims only)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId, ACME.accountId]);
    // Users are synced by the worker (settings naming a user are checked against them).
    await stack.drain();
  });

  const call = async (method: string, path: string, token: string | null, body?: unknown, origin?: string) => {
    const headers: Record<string, string> = {};
    if (token) headers['x-auth-token'] = token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (origin) headers.origin = origin;
    const response = await fetch(`${stack.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads arbitrary JSON answers
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, any> };
  };
  const adminOf = (accountId: number, userId: number) => stack.sandbox.jwt(accountId, userId);

  /** A token signed with our client secret but with claims of our choosing (what a forger with the secret could do). */
  const forge = (claims: Record<string, unknown>, secret = TEST_CLIENT_SECRET, alg = 'HS256') => {
    const now = Math.floor(Date.now() / 1000);
    const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        iss: `https://${DEMO.host}`,
        aud: stack.apiUrl,
        jti: randomUUID(),
        iat: now,
        nbf: now,
        exp: now + 1800,
        account_id: DEMO.accountId,
        user_id: DEMO.admin,
        subdomain: 'demo',
        client_uuid: TEST_CLIENT_ID,
        is_admin: true,
        ...claims,
      }),
    ).toString('base64url');
    const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  };

  it('reads the settings with defaults for any user of the account', async () => {
    const token = await stack.sandbox.jwt(DEMO.accountId, DEMO.manager);
    const response = await call('GET', '/widget/settings', token);
    expect(response.status).toBe(200);
    expect(response.body.settings).toMatchObject({ unknownNumberPolicy: 'incoming_lead', recordingEnabled: true, missedCallTaskDelayMinutes: 15 });
    expect(response.body.connection).toBeNull();
    expect(response.body.canEdit).toBe(false);
    expect(Object.keys(response.body.providers)).toEqual(expect.arrayContaining(['twilio', 'generic_pbx', 'ringcentral', 'zenvia']));
  });

  it('lets an admin change defaults and store VoIP credentials write-only (masked, webhook URLs per connection)', async () => {
    const token = await adminOf(DEMO.accountId, DEMO.admin);
    const patched = await call('PATCH', '/widget/settings', token, {
      unknownNumberPolicy: 'create_contact',
      missedCallTaskDelayMinutes: 30,
      recordingEnabled: false,
      defaultResponsibleUserId: DEMO.manager,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toMatchObject({ unknownNumberPolicy: 'create_contact', missedCallTaskDelayMinutes: 30, updatedByUserId: DEMO.admin });

    const put = await call('PUT', '/widget/voip-connection', token, { provider: 'twilio', credentials: TWILIO });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain(TWILIO.authToken);
    expect(put.body.connection.credentials.authToken).toBe('••••••••9876');
    const urls = put.body.connection.webhookUrls as Record<string, string>;
    expect(urls.voiceUrl).toMatch(new RegExp(`^${stack.apiUrl}/voip/twilio/[A-Za-z0-9_-]{32}/voice$`));
    expect(urls.statusCallbackUrl).toBe(urls.voiceUrl.replace(/voice$/, 'status'));

    const read = await call('GET', '/widget/settings', await stack.sandbox.jwt(DEMO.accountId, DEMO.manager));
    expect(read.body.settings.unknownNumberPolicy).toBe('create_contact');
    expect(JSON.stringify(read.body)).not.toContain(TWILIO.authToken);
    expect(read.body.connection.webhookUrls).toBeNull(); // a manager never sees the webhook path keys
    expect(JSON.stringify(read.body)).not.toContain(urls.statusCallbackUrl.split('/').at(-2));
    const adminRead = await call('GET', '/widget/settings', token);
    expect(adminRead.body.connection.webhookUrls).toEqual(urls);

    // Stored encrypted: the secret is nowhere in the table.
    const rows = await stack.dataSource.query<Record<string, string>[]>('SELECT * FROM voip_connection');
    expect(JSON.stringify(rows)).not.toContain(TWILIO.authToken);
    expect(JSON.stringify(rows)).not.toContain(TWILIO.accountSid);
  });

  it('generates a PBX signing secret, shows it once, and keeps it on later edits', async () => {
    const token = await adminOf(DEMO.accountId, DEMO.admin);
    const first = await call('PUT', '/widget/voip-connection', token, { provider: 'generic_pbx' });
    expect(first.status).toBe(200);
    const secret = first.body.generatedSecrets.signingSecret as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await call('PUT', '/widget/voip-connection', token, { provider: 'generic_pbx' });
    expect(again.body.generatedSecrets).toEqual({});
    expect(again.body.connection.webhookUrls).toEqual(first.body.connection.webhookUrls);
    const rotated = await call('PUT', '/widget/voip-connection', token, { provider: 'generic_pbx', rotateKeys: true });
    expect(rotated.body.generatedSecrets.signingSecret).not.toBe(secret);
    expect(rotated.body.connection.webhookUrls.eventsUrl).not.toBe(first.body.connection.webhookUrls.eventsUrl);
  });

  it("keeps tenants apart: account A's token never reads or writes account B's settings", async () => {
    const demoAdmin = await adminOf(DEMO.accountId, DEMO.admin);
    const acmeAdmin = await adminOf(ACME.accountId, ACME.admin);
    await call('PUT', '/widget/voip-connection', acmeAdmin, { provider: 'twilio', credentials: TWILIO });
    await call('PATCH', '/widget/settings', demoAdmin, { recordingEnabled: false });

    const demoView = await call('GET', '/widget/settings', demoAdmin);
    expect(demoView.body.connection).toBeNull();
    const acmeView = await call('GET', '/widget/settings', acmeAdmin);
    expect(acmeView.body.settings.recordingEnabled).toBe(true);
    expect(acmeView.body.connection.provider).toBe('twilio');

    // Claims mixing A's issuer with B's account id are refused, whatever the body or query says.
    const mixed = forge({ account_id: ACME.accountId });
    expect((await call('GET', '/widget/settings', mixed)).status).toBe(401);
    expect((await call('PATCH', '/widget/settings?account_id=31000002', demoAdmin, { accountId: ACME.accountId })).status).toBe(400);
  });

  it('refuses missing, expired, not-yet-valid, wrongly signed, wrong-audience and alg-swapped tokens with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string | null][] = [
      ['missing', null],
      ['garbage', 'not-a-jwt'],
      ['expired', forge({ iat: now - 3600, nbf: now - 3600, exp: now - 600 })],
      ['not yet valid', forge({ nbf: now + 600 })],
      ['wrong secret', forge({}, 'another-secret-0123456789abcdef')],
      ['wrong audience', forge({ aud: 'https://attacker.example' })],
      ['alg none', forge({}, TEST_CLIENT_SECRET, 'none')],
      ['foreign account', forge({ account_id: 99999999, iss: 'https://other.kommo.com' })],
      ['sandbox-minted, expired', await stack.sandbox.jwt(DEMO.accountId, DEMO.admin, { ttlSeconds: -120 })],
    ];
    for (const [label, token] of cases) {
      const response = await call('GET', '/widget/settings', token);
      expect({ label, status: response.status }).toEqual({ label, status: 401 });
    }
  });

  it('refuses writes by a non-admin with 403 and changes nothing', async () => {
    const manager = await stack.sandbox.jwt(DEMO.accountId, DEMO.manager);
    expect((await call('PATCH', '/widget/settings', manager, { recordingEnabled: false })).status).toBe(403);
    expect((await call('PUT', '/widget/voip-connection', manager, { provider: 'twilio', credentials: TWILIO })).status).toBe(403);
    const view = await call('GET', '/widget/settings', manager);
    expect(view.body.settings.recordingEnabled).toBe(true);
    expect(view.body.connection).toBeNull();
  });

  it('answers 400 with a message for unknown fields and bad values, and changes nothing', async () => {
    const token = await adminOf(DEMO.accountId, DEMO.admin);
    const bad: [string, string, unknown, string][] = [
      ['PATCH', '/widget/settings', { isAdmin: true }, 'property isAdmin should not exist'],
      ['PATCH', '/widget/settings', { accountId: ACME.accountId }, 'property accountId should not exist'],
      ['PATCH', '/widget/settings', { unknownNumberPolicy: 'shout' }, 'unknownNumberPolicy'],
      ['PATCH', '/widget/settings', { missedCallTaskDelayMinutes: -5 }, 'missedCallTaskDelayMinutes'],
      ['PATCH', '/widget/settings', {}, 'No settings given'],
      ['PATCH', '/widget/settings', { defaultResponsibleUserId: 424242 }, 'not a user of this account'],
      ['PUT', '/widget/voip-connection', { provider: 'skype' }, 'provider'],
      ['PUT', '/widget/voip-connection', { provider: 'twilio', credentials: { accountSid: TWILIO.accountSid } }, 'authToken is required'],
      ['PUT', '/widget/voip-connection', { provider: 'twilio', credentials: { ...TWILIO, password: 'x' } }, 'password is not a twilio credential'],
      ['PUT', '/widget/voip-connection', { provider: 'twilio', credentials: { ...TWILIO, accountSid: 'AC123' } }, 'Account SID'],
    ];
    for (const [method, path, body, message] of bad) {
      const response = await call(method, path, token, body);
      expect({ path, body, status: response.status }).toEqual({ path, body, status: 400 });
      expect(JSON.stringify(response.body.message)).toContain(message);
    }
    const view = await call('GET', '/widget/settings', token);
    expect(view.body.settings.updatedAt).toBeNull();
    expect(view.body.connection).toBeNull();
  });

  it('allows CORS only from Kommo account origins', async () => {
    const token = await adminOf(DEMO.accountId, DEMO.admin);
    const kommo = await call('GET', '/widget/settings', token, undefined, 'https://demo.kommo.com');
    expect(kommo.headers.get('access-control-allow-origin')).toBe('https://demo.kommo.com');
    const evil = await call('GET', '/widget/settings', token, undefined, 'https://evil.example.com');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('wipes the VoIP credentials when Kommo sends the uninstall hook', async () => {
    const token = await adminOf(DEMO.accountId, DEMO.admin);
    await call('PUT', '/widget/voip-connection', token, { provider: 'twilio', credentials: TWILIO });
    expect((await stack.sandbox.uninstall(DEMO.accountId)).status).toBe(200);
    expect(await stack.dataSource.query('SELECT id FROM voip_connection WHERE account_id = $1', [DEMO.accountId])).toHaveLength(0);
    expect((await call('GET', '/widget/settings', token)).status).toBe(401); // not installed any more
  });
});
