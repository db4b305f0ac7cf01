import { createHmac } from 'node:crypto';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip } from '../utils/voip';

const HEX = '0123456789abcdef0123456789abcdef';
const TWILIO = {
  accountSid: `AC${'d4'.repeat(16)}`,
  authToken: HEX,
  apiKeySid: `SK${'e5'.repeat(16)}`,
  apiKeySecret: 'ZyXwVuTsRqPoNmLkJiHgFeDcBa987654',
  twimlAppSid: `AP${'f6'.repeat(16)}`,
};

function decode(token: string) {
  const [header, payload, signature] = token.split('.');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: json(header), payload: json(payload), signature, signed: `${header}.${payload}` };
}

/** POST /widget/softphone/token: the Voice SDK access token for the manager's mapped client identity. */
describe('Softphone access token', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { SOFTPHONE_TOKEN_TTL_SECONDS: '900' } });
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    await stack.drain();
  });

  const mapExtensions = async (extensions: { extension: string; userId: number }[]) => {
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const response = await fetch(`${stack.apiUrl}/widget/extensions`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ extensions }),
    });
    expect(response.status).toBe(200);
  };
  const requestToken = async (userId: number) => {
    const response = await fetch(`${stack.apiUrl}/widget/softphone/token`, { method: 'POST', headers: { 'x-auth-token': await stack.sandbox.jwt(DEMO.accountId, userId) } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('mints a token for the mapped identity: VoiceGrant (our TwiML App, incoming allowed), configured TTL, signed with the API key secret', async () => {
    await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO });
    await mapExtensions([
      { extension: '+14155550111', userId: DEMO.manager },
      { extension: 'client:anna_1002', userId: DEMO.manager },
    ]);
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await requestToken(DEMO.manager);
    expect(status).toBe(200);
    expect(body).toEqual({ token: expect.any(String), identity: 'anna_1002', expiresAt: expect.any(String), ttlSeconds: 900 });
    const { header, payload, signature, signed } = decode(body.token as string);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload).toMatchObject({
      iss: TWILIO.apiKeySid,
      sub: TWILIO.accountSid,
      grants: { identity: 'anna_1002', voice: { incoming: { allow: true }, outgoing: { application_sid: TWILIO.twimlAppSid } } },
    });
    expect(payload.exp).toBe((payload.iat as number) + 900);
    expect(payload.iat).toBeGreaterThanOrEqual(before - 1);
    expect(new Date(body.expiresAt as string).getTime()).toBe((payload.exp as number) * 1000);
    expect(signature).toBe(createHmac('sha256', TWILIO.apiKeySecret).update(signed).digest('base64url'));
    expect(signature).not.toBe(createHmac('sha256', TWILIO.authToken).update(signed).digest('base64url'));
  }, 60_000);

  it('refuses with a code when the user is not mapped to a client identity, the connection lacks a field, or there is none', async () => {
    expect(await requestToken(DEMO.manager)).toMatchObject({ status: 409, body: { code: 'not_connected' } });

    const { twimlAppSid: _app, ...withoutApp } = TWILIO;
    await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: withoutApp });
    await mapExtensions([{ extension: 'anna_1002', userId: DEMO.manager }, { extension: '103', userId: DEMO_ACCOUNT.users.manager2 }]);
    const notConfigured = await requestToken(DEMO.manager);
    expect(notConfigured).toMatchObject({ status: 409, body: { code: 'not_configured', message: expect.stringContaining('twimlAppSid') } });

    await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: { twimlAppSid: TWILIO.twimlAppSid } });
    const bare = await requestToken(DEMO.manager);
    expect(bare).toMatchObject({ status: 200, body: { identity: 'anna_1002', ttlSeconds: 900 } });
    const extensionOnly = await requestToken(DEMO_ACCOUNT.users.manager2);
    expect(extensionOnly).toMatchObject({ status: 409, body: { code: 'not_mapped', message: expect.stringContaining('103 (a PBX extension)') } });
    expect(await requestToken(DEMO.admin)).toMatchObject({ status: 409, body: { code: 'not_mapped', message: expect.stringContaining('nothing is mapped') } });
    expect((await fetch(`${stack.apiUrl}/widget/softphone/token`, { method: 'POST' })).status).toBe(401);
  }, 60_000);
});
