import { createHmac } from 'node:crypto';
import { ACME_ACCOUNT, DEMO_ACCOUNT } from '../src/seed/demo.seed';
import { CLIENT_ID, CLIENT_SECRET, connect, control, Harness, http, refreshBody, startHarness } from './sandbox-harness';

const DEMO = DEMO_ACCOUNT;
const ACME = ACME_ACCOUNT;

describe('Kommo sandbox — OAuth 2.0, widget JWT, install and uninstall hooks', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ limits: { requestsPerSecond: 10_000 } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await control(h.sandbox, 'POST', '/reset', { seed: 'demo' });
    h.integration.requests.length = 0;
  });

  const token = (body: Record<string, unknown>, host: string = DEMO.host) => http(h.sandbox.url, 'POST', '/oauth2/access_token', { host, body });
  const account = (accessToken: string, host: string = DEMO.host) => http(h.sandbox.url, 'GET', '/api/v4/account', { token: accessToken, host });

  it('consent page offers "Allow" per account and redirects with code, state, referer and client_id', async () => {
    const page = await http(h.sandbox.url, 'GET', `/oauth?client_id=${CLIENT_ID}&state=st-1&mode=post_message`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Allow for account Demo Telecom');
    expect(page.text).toContain('Allow for account Acme Brasil');
    const form = new URLSearchParams({ client_id: CLIENT_ID, state: 'st-1', mode: 'post_message', account_id: String(ACME.id), user_id: String(ACME.users.admin), decision: 'allow' });
    const response = await fetch(`${h.sandbox.url}/oauth/decide`, { method: 'POST', body: form, redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${h.integration.url}/kommo/oauth/callback`);
    expect(location.searchParams.get('code')).toMatch(/^def50200[0-9a-f]+$/);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('referer')).toBe('acme.kommo.com');
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);

    const denied = await fetch(`${h.sandbox.url}/oauth/decide`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT_ID, state: 's', account_id: String(DEMO.id), decision: 'deny' }), redirect: 'manual' });
    expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('omits state from the redirect when none was given; unknown client_id gets no consent page', async () => {
    const location = new URL((await control(h.sandbox, 'POST', '/oauth/authorize', { accountId: DEMO.id })).body.location);
    expect(location.searchParams.has('state')).toBe(false);
    expect(location.searchParams.get('referer')).toBe(DEMO.host);
    expect((await http(h.sandbox.url, 'GET', '/oauth?client_id=someone-else')).status).toBe(400);
  });

  it('exchanges a code once for a 24 h JWT access token and a refresh token', async () => {
    const location = new URL((await control(h.sandbox, 'POST', '/oauth/authorize', { accountId: DEMO.id, state: 'x' })).body.location);
    const body = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'authorization_code', code: location.searchParams.get('code'), redirect_uri: `${h.integration.url}/kommo/oauth/callback` };
    const first = await token(body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 86400 });
    expect(first.body.access_token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(first.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ account_id: DEMO.id, sub: String(DEMO.users.admin), api_domain: DEMO.host });
    expect(claims.exp - claims.iat).toBe(86400);
    expect((await account(first.body.access_token)).body).toMatchObject({ id: DEMO.id, subdomain: 'demo', current_user_id: DEMO.users.admin });

    const replay = await token(body);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toContain('application/problem+json');
    const history = await control(h.sandbox, 'GET', `/accounts/${DEMO.id}/oauth`);
    expect(history.body.tokenRequests.map((entry: { outcome: string }) => entry.outcome)).toEqual(['issued', 'invalid_grant']);
    expect(history.body.counts.authorization_code).toBe(2);
  });

  it('refuses a redirect_uri that is not the configured one, and a wrong client secret', async () => {
    const location = new URL((await control(h.sandbox, 'POST', '/oauth/authorize', { accountId: DEMO.id })).body.location);
    const base = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'authorization_code', code: location.searchParams.get('code') };
    expect((await token({ ...base, redirect_uri: 'https://evil.example/cb' })).status).toBe(400);
    expect((await token({ ...base, client_secret: 'nope', redirect_uri: `${h.integration.url}/kommo/oauth/callback` })).status).toBe(401);
    // The code was not consumed by the refused attempts.
    expect((await token({ ...base, redirect_uri: `${h.integration.url}/kommo/oauth/callback` })).status).toBe(200);
  });

  it('rotates refresh tokens: the old one works until the new one is used, then 401', async () => {
    const pair1 = await connect(h.sandbox, h.integration, DEMO.id, DEMO.host);
    const pair2 = await token(refreshBody(h.integration, pair1.refresh_token));
    expect(pair2.status).toBe(200);
    expect(pair2.body.refresh_token).not.toBe(pair1.refresh_token);
    // Network error on our side: retry with the old token still works.
    const retry = await token(refreshBody(h.integration, pair1.refresh_token));
    expect(retry.status).toBe(200);
    // Using the new refresh token outdates the old one.
    const pair3 = await token(refreshBody(h.integration, pair2.body.refresh_token));
    expect(pair3.status).toBe(200);
    const stale = await token(refreshBody(h.integration, pair1.refresh_token));
    expect(stale.status).toBe(401);
    expect(stale.body.hint).toBeDefined();
    expect((await account(pair3.body.access_token)).status).toBe(200);
    const history = await control(h.sandbox, 'GET', `/accounts/${DEMO.id}/oauth`);
    expect(history.body.counts.refresh_token).toBe(4);
  });

  it('a revoked grant answers 401 on every API call and on refresh', async () => {
    const pair = await connect(h.sandbox, h.integration, DEMO.id, DEMO.host);
    expect((await account(pair.access_token)).status).toBe(200);
    await control(h.sandbox, 'POST', `/accounts/${DEMO.id}/oauth/revoke`, {});
    const refused = await account(pair.access_token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ status: 401, type: 'https://httpstatus.es/401' });
    expect((await http(h.sandbox.url, 'GET', '/api/v4/contacts', { token: pair.access_token, host: DEMO.host })).status).toBe(401);
    expect((await token(refreshBody(h.integration, pair.refresh_token))).status).toBe(401);
  });

  it('expired access tokens answer 401; a refresh brings the account back', async () => {
    const pair = await connect(h.sandbox, h.integration, DEMO.id, DEMO.host);
    await control(h.sandbox, 'POST', `/accounts/${DEMO.id}/oauth/expire-access-tokens`, {});
    expect((await account(pair.access_token)).status).toBe(401);
    const renewed = await token(refreshBody(h.integration, pair.refresh_token));
    expect((await account(renewed.body.access_token)).status).toBe(200);
  });

  it("answers only on the token's account host: another account's host → 401", async () => {
    const pair = await connect(h.sandbox, h.integration, DEMO.id, DEMO.host);
    expect((await account(pair.access_token, ACME.host)).status).toBe(401);
    expect((await account(pair.access_token, 'nobody.kommo.com')).status).toBe(404);
    expect((await http(h.sandbox.url, 'GET', '/api/v4/account', { token: pair.access_token })).status).toBe(200);
  });

  it('sends the widget-install GET (code, referer, from_widget, client_id, no state) and reports the status', async () => {
    h.integration.status = 204;
    const result = await control(h.sandbox, 'POST', `/accounts/${ACME.id}/widget-install`, {});
    h.integration.status = 200;
    expect(result.body.status).toBe(204);
    const request = h.integration.requests[0];
    expect(request.method).toBe('GET');
    expect(request.url.pathname).toBe('/kommo/oauth/callback');
    expect(request.url.searchParams.get('referer')).toBe(ACME.host);
    expect(request.url.searchParams.get('from_widget')).toBe('1');
    expect(request.url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(request.url.searchParams.has('state')).toBe(false);
    // The code works at the token endpoint.
    const exchanged = await token(
      { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'authorization_code', code: request.url.searchParams.get('code'), redirect_uri: `${h.integration.url}/kommo/oauth/callback` },
      ACME.host,
    );
    expect(exchanged.status).toBe(200);
  });

  it('sends the uninstall hook signed with HMAC-SHA256(secret, client_uuid|account_id) and revokes the grant', async () => {
    const pair = await connect(h.sandbox, h.integration, DEMO.id, DEMO.host);
    const result = await control(h.sandbox, 'POST', `/accounts/${DEMO.id}/uninstall`, {});
    expect(result.body.status).toBe(200);
    const request = h.integration.requests.find((entry) => entry.url.pathname === '/kommo/uninstall')!;
    expect(request.url.searchParams.get('client_uuid')).toBe(CLIENT_ID);
    expect(request.url.searchParams.get('account_id')).toBe(String(DEMO.id));
    expect(request.url.searchParams.get('signature')).toBe(createHmac('sha256', CLIENT_SECRET).update(`${CLIENT_ID}|${DEMO.id}`).digest('hex'));
    expect(request.headers['user-agent']).toBe('amoService-oAuth-Code-Sender/1.0');
    expect((await account(pair.access_token)).status).toBe(401);

    await control(h.sandbox, 'POST', `/accounts/${DEMO.id}/uninstall`, { signature: 'ab'.repeat(32) });
    expect(h.integration.requests.at(-1)!.url.searchParams.get('signature')).toBe('ab'.repeat(32));
  });

  it('mints the widget X-Auth-Token: HS256 with the client secret, 30 minutes, Kommo claims', async () => {
    const minted = (await control(h.sandbox, 'POST', `/accounts/${DEMO.id}/jwt`, { userId: DEMO.users.manager })).body.token as string;
    const [header, payload, signature] = minted.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(signature).toBe(createHmac('sha256', CLIENT_SECRET).update(`${header}.${payload}`).digest('base64url'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({
      iss: `https://${DEMO.host}`,
      aud: h.integration.url,
      account_id: DEMO.id,
      user_id: DEMO.users.manager,
      subdomain: 'demo',
      client_uuid: CLIENT_ID,
      is_admin: false,
    });
    expect(claims.exp - claims.iat).toBe(1800);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);

    const custom = (await control(h.sandbox, 'POST', `/accounts/${DEMO.id}/jwt`, { userId: DEMO.users.admin, ttlSeconds: -60, aud: 'https://x.example', secret: 'other' })).body.token as string;
    const [h2, p2, s2] = custom.split('.');
    const claims2 = JSON.parse(Buffer.from(p2, 'base64url').toString());
    expect(claims2.exp).toBeLessThan(Math.floor(Date.now() / 1000));
    expect(claims2.aud).toBe('https://x.example');
    expect(s2).toBe(createHmac('sha256', 'other').update(`${h2}.${p2}`).digest('base64url'));
  });
});

describe('Kommo sandbox — production mode', () => {
  it('has no control plane (404) but serves the Kommo surface', async () => {
    const h = await startHarness({ mode: 'production' });
    try {
      expect((await control(h.sandbox, 'POST', '/reset', { seed: 'demo' })).status).toBe(404);
      expect((await http(h.sandbox.url, 'GET', '/api/v4/account', { host: DEMO.host })).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});
