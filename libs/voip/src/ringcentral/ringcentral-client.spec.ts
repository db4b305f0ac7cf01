import { VoipConnection, VoipProvider } from '@app/domain';
import { RingCentralAccessTokens, RingCentralApiError, RingCentralClient } from './ringcentral-client';

const CONNECTION: VoipConnection = {
  id: 'conn-rc',
  accountId: 1,
  provider: VoipProvider.RingCentral,
  pathKey: 'k'.repeat(32),
  credentials: { clientId: 'client', clientSecret: 'secret', jwt: 'a.b.c' },
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const OPTIONS = { apiBaseUrl: 'https://rc.test', timeoutMs: 1000 };

/** fetch stubbed with a script of answers; records what was asked. */
function stubFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    calls.push({ url, init: init ?? {} });
    return answer(url, init ?? {});
  });
  return calls;
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const form = (init: RequestInit) => new URLSearchParams(typeof init.body === 'string' ? init.body : '');

describe('RingCentralAccessTokens', () => {
  afterEach(() => jest.restoreAllMocks());

  it('exchanges the JWT once (Basic auth, jwt-bearer), caches the token, refreshes it near expiry, and shares one request', async () => {
    let now = 0;
    let issued = 0;
    const calls = stubFetch(() => json(200, { access_token: `AT${++issued}`, expires_in: 3600, refresh_token: `RT${issued}`, refresh_token_expires_in: 604800 }));
    const tokens = new RingCentralAccessTokens(OPTIONS, () => now);
    expect(await Promise.all([tokens.get(CONNECTION), tokens.get(CONNECTION), tokens.get(CONNECTION)])).toEqual(['AT1', 'AT1', 'AT1']);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('https://rc.test/restapi/oauth/token');
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe(`Basic ${Buffer.from('client:secret').toString('base64')}`);
    expect(Object.fromEntries(form(calls[0].init))).toEqual({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b.c' });
    now = 3_000_000;
    expect(await tokens.get(CONNECTION)).toBe('AT1');
    now = 3_550_000; // within a minute of expiry
    expect(await tokens.get(CONNECTION)).toBe('AT2');
    expect(Object.fromEntries(form(calls[1].init))).toEqual({ grant_type: 'refresh_token', refresh_token: 'RT1' });
  });

  it('presents the JWT again when the refresh token is refused, and drops the cache when credentials change', async () => {
    let now = 0;
    const calls = stubFetch((_url, init) =>
      form(init).get('grant_type') === 'refresh_token' ? json(400, { error: 'invalid_grant' }) : json(200, { access_token: `AT-${form(init).get('assertion')}`, expires_in: 3600, refresh_token: 'RT', refresh_token_expires_in: 604800 }),
    );
    const tokens = new RingCentralAccessTokens(OPTIONS, () => now);
    await tokens.get(CONNECTION);
    now = 3_590_000;
    expect(await tokens.get(CONNECTION)).toBe('AT-a.b.c');
    expect(calls.map((call) => form(call.init).get('grant_type'))).toEqual(['urn:ietf:params:oauth:grant-type:jwt-bearer', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer']);
    expect(await tokens.get({ ...CONNECTION, credentials: { ...CONNECTION.credentials, jwt: 'x.y.z' } })).toBe('AT-x.y.z');
  });

  it('reports refused credentials with RingCentral\'s error', async () => {
    stubFetch(() => json(400, { error: 'invalid_grant', error_description: 'Invalid JWT' }));
    await expect(new RingCentralAccessTokens(OPTIONS).get(CONNECTION)).rejects.toMatchObject({ status: 400, errorCode: 'invalid_grant', message: expect.stringContaining('Invalid JWT') });
  });
});

describe('RingCentralClient', () => {
  afterEach(() => jest.restoreAllMocks());

  it('renews the token once on a 401 and retries; re-roots absolute navigation URIs on the configured base', async () => {
    let tokenRequests = 0;
    let rejectedOnce = false;
    const calls = stubFetch((url, init) => {
      if (url.endsWith('/restapi/oauth/token')) return json(200, { access_token: `AT${++tokenRequests}`, expires_in: 3600 });
      if (!rejectedOnce) {
        rejectedOnce = true;
        return json(401, { errorCode: 'TokenInvalid' });
      }
      return json(200, { ok: (init.headers as Record<string, string>).authorization });
    });
    const client = new RingCentralClient(new RingCentralAccessTokens(OPTIONS), OPTIONS);
    expect(await client.request(CONNECTION, 'GET', 'https://platform.ringcentral.com/restapi/v1.0/account/~/call-log?page=2')).toEqual({ ok: 'Bearer AT2' });
    expect(calls.filter((call) => !call.url.endsWith('/oauth/token')).map((call) => call.url)).toEqual([
      'https://rc.test/restapi/v1.0/account/~/call-log?page=2',
      'https://rc.test/restapi/v1.0/account/~/call-log?page=2',
    ]);
  });

  it('turns errors into RingCentralApiError with the errorCode', async () => {
    stubFetch((url) => (url.endsWith('/oauth/token') ? json(200, { access_token: 'AT', expires_in: 3600 }) : json(404, { errorCode: 'SUB-100', message: 'Subscription not found' })));
    const error = await new RingCentralClient(new RingCentralAccessTokens(OPTIONS), OPTIONS).request(CONNECTION, 'GET', '/restapi/v1.0/subscription/x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RingCentralApiError);
    expect(error).toMatchObject({ status: 404, errorCode: 'SUB-100' });
  });
});
