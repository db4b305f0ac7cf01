import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { KommoHttp, KommoHttpPacing } from './kommo-http';
import { KommoRateLimiter } from './kommo-rate-limiter';
import { KommoApiError } from './kommo.errors';

/** KommoHttp against a real HTTP server on loopback: pacing, 429 handling, override routing. */
describe('KommoHttp (loopback server)', () => {
  let server: Server;
  let baseUrl: string;
  let answers: ((request: IncomingMessage, response: ServerResponse) => void)[];
  let seen: { host: string | undefined; at: number }[];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ host: request.headers['x-forwarded-host'] as string | undefined, at: Date.now() });
      const answer = answers.shift() ?? ((_, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
      answer(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    answers = [];
    seen = [];
  });

  const config = { clientId: 'id', clientSecret: 'secret', redirectUri: 'https://x', accountDomains: ['kommo.com'], authorizationUrl: 'https://x', requestTimeoutMs: 2000 };
  const tooMany = (body: string, headers: Record<string, string> = {}) => (_: IncomingMessage, res: ServerResponse) => res.writeHead(429, headers).end(body);
  const permits = (): KommoRateLimiter & { asked: string[] } => {
    const asked: string[] = [];
    return { asked, tryAcquire: async (host) => (asked.push(host), 0) };
  };
  const pacing = (limiter: KommoRateLimiter, overrides: Partial<KommoHttpPacing> = {}): KommoHttpPacing => ({
    limiter,
    maxPermitWaitMs: 1000,
    retriesOn429: 2,
    backoffOn429Ms: 50,
    ...overrides,
  });

  it('takes a permit per attempt and retries a 429 (HTML body) in place until it succeeds', async () => {
    const limiter = permits();
    answers = [tooMany('<html>Too Many Requests</html>'), tooMany('')];
    const http = new KommoHttp({ ...config, apiBaseUrlOverride: baseUrl }, pacing(limiter));

    const response = await http.send('demo.kommo.com', { method: 'GET', path: '/api/v4/account', accessToken: 't' });

    expect(response.status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(seen.every((request) => request.host === 'demo.kommo.com')).toBe(true);
    expect(limiter.asked).toEqual(['demo.kommo.com', 'demo.kommo.com', 'demo.kommo.com']);
    expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(90); // backoff doubles: 50 then 100 ms
  });

  it('honours Retry-After and reports the 429 once retries are used up', async () => {
    answers = [tooMany('{"title":"Too Many Requests"}', { 'retry-after': '1' }), tooMany('{}'), tooMany('{}')];
    const http = new KommoHttp({ ...config, apiBaseUrlOverride: baseUrl }, pacing(permits()));

    const response = await http.send('demo.kommo.com', { method: 'GET', path: '/api/v4/account' });

    expect(response.status).toBe(429);
    expect(seen).toHaveLength(3);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(950);
  });

  it('waits for the limiter and fails retryably when no permit comes in time', async () => {
    const slow: KommoRateLimiter = { tryAcquire: async () => 400 };
    const http = new KommoHttp({ ...config, apiBaseUrlOverride: baseUrl }, pacing(slow, { maxPermitWaitMs: 300 }));

    const error = await http.send('demo.kommo.com', { method: 'GET', path: '/api/v4/account' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KommoApiError);
    expect((error as KommoApiError).retryable).toBe(true);
    expect(seen).toHaveLength(0);
  });
});
