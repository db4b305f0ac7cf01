import { DEMO_ACCOUNT } from '../src/seed/demo.seed';
import { connect, control, Harness, http, sleep, startHarness } from './sandbox-harness';

const D = DEMO_ACCOUNT;

describe('Kommo sandbox — limits, request log and fault injection', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness({ limits: { abuseThreshold: 5, abuseWindowMs: 60_000 } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await control(h.sandbox, 'POST', '/reset', { seed: 'demo' });
    token = (await connect(h.sandbox, h.integration, D.id, D.host)).access_token;
  });

  const get = (path = '/api/v4/account') => http(h.sandbox.url, 'GET', path, { token, host: D.host });

  it('the 8th request inside one second → 429 with the documented body; the window slides', async () => {
    const answers = [];
    for (let index = 0; index < 8; index++) answers.push(await get());
    expect(answers.slice(0, 7).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(answers[7].status).toBe(429);
    expect(answers[7].body).toEqual({
      title: 'Too Many Requests',
      type: 'https://httpstatus.es/429',
      status: 429,
      detail: 'You have sent too many requests in a given amount of time. Please try again later.',
      retry_after: 300,
    });
    await sleep(1050);
    expect((await get()).status).toBe(200);
    const log = await control(h.sandbox, 'GET', `/accounts/${D.id}/requests`);
    expect(log.body.counts['GET /api/v4/account']).toBe(9);
    expect(log.body.maxPerSecond).toBeGreaterThanOrEqual(8); // the 8 GETs (+ the token exchange, also logged)
    expect(log.body.refusals).toHaveLength(1);
    expect(log.body.refusals[0]).toMatchObject({ status: 429, reason: 'rate-limit', endpoint: 'GET /api/v4/account' });
  });

  it('repeated abuse blocks the account: 403 for everything until reset', async () => {
    await Promise.all(Array.from({ length: 20 }, () => get()));
    const blocked = await http(h.sandbox.url, 'GET', '/api/v4/contacts', { token, host: D.host });
    expect(blocked.status).toBe(403);
    await sleep(1050);
    expect((await get()).status).toBe(403);
    const refusals = (await control(h.sandbox, 'GET', `/requests?accountId=${D.id}`)).body.refusals as { status: number }[];
    expect(refusals.filter((entry) => entry.status === 429).length).toBeGreaterThanOrEqual(5);
    expect(refusals.some((entry) => entry.status === 403)).toBe(true);
    await control(h.sandbox, 'POST', '/reset', { seed: 'demo' });
    token = (await connect(h.sandbox, h.integration, D.id, D.host)).access_token;
    expect((await get()).status).toBe(200);
  });

  it('kind "status": the next `count` matching requests get that status (Kommo-shaped body)', async () => {
    await control(h.sandbox, 'POST', '/faults', { accountId: D.id, endpoint: 'GET /api/v4/account', kind: 'status', status: 500, count: 2 });
    expect((await get()).body).toMatchObject({ title: 'ErrInternalServer', status: 500 });
    expect((await get()).status).toBe(500);
    expect((await get()).status).toBe(200);
    await control(h.sandbox, 'POST', '/faults', { accountId: 31000002, endpoint: 'GET /api/v4/account', kind: 'status', status: 503 });
    expect((await get()).status).toBe(200); // another account's fault
  });

  it('kind "rate429" with JSON, HTML and empty bodies; "5xx" at a rate', async () => {
    await control(h.sandbox, 'POST', '/faults', { endpoint: 'GET /api/v4/account', kind: 'rate429', rate: 1, body: 'html', count: 1 });
    const html = await get();
    expect(html.status).toBe(429);
    expect(html.headers.get('content-type')).toContain('text/html');
    await control(h.sandbox, 'POST', '/faults', { endpoint: 'GET /api/v4/account', kind: 'rate429', body: 'empty', count: 1 });
    const empty = await get();
    expect([empty.status, empty.text]).toEqual([429, '']);
    await control(h.sandbox, 'POST', '/faults', { endpoint: 'GET /api/v4/*', kind: '5xx', status: 503, rate: 1, count: 1 });
    expect((await get('/api/v4/contacts')).status).toBe(503);
    await control(h.sandbox, 'POST', '/faults', { endpoint: 'GET /api/v4/account', kind: '5xx', rate: 0 });
    expect((await get()).status).toBe(200);
    await control(h.sandbox, 'DELETE', '/faults');
    expect((await control(h.sandbox, 'GET', '/faults')).body.faults).toEqual([]);
  });

  it('kind "latency" delays the answer; "batch504" refuses batches above maxItems', async () => {
    await control(h.sandbox, 'POST', '/faults', { endpoint: 'GET /api/v4/account', kind: 'latency', ms: 300, count: 1 });
    const started = Date.now();
    expect((await get()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await control(h.sandbox, 'POST', '/faults', { endpoint: 'POST /api/v4/calls', kind: 'batch504', maxItems: 2 });
    const call = { direction: 'inbound', phone: D.phones.noLead, duration: 1, source: 'x' };
    expect((await http(h.sandbox.url, 'POST', '/api/v4/calls', { token, host: D.host, body: [call, call, call] })).status).toBe(504);
    expect((await control(h.sandbox, 'GET', `/accounts/${D.id}/calls`)).body.calls).toHaveLength(0);
    expect((await http(h.sandbox.url, 'POST', '/api/v4/calls', { token, host: D.host, body: [call, call] })).status).toBe(200);
  });

  it('kind "hang" never answers; "commit-then-drop" stores the call and drops the connection', async () => {
    await control(h.sandbox, 'POST', '/faults', { endpoint: 'GET /api/v4/account', kind: 'hang', count: 1 });
    await expect(fetch(`${h.sandbox.url}/api/v4/account`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-host': D.host }, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    await control(h.sandbox, 'POST', '/faults', { accountId: D.id, endpoint: 'POST /api/v4/calls', kind: 'commit-then-drop', count: 1 });
    const body = JSON.stringify([{ direction: 'outbound', phone: D.phones.noLead, duration: 5, source: 'x', uniq: 'dropped' }]);
    await expect(
      fetch(`${h.sandbox.url}/api/v4/calls`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-host': D.host, 'content-type': 'application/json' }, body }),
    ).rejects.toThrow();
    const calls = (await control(h.sandbox, 'GET', `/accounts/${D.id}/calls`)).body.calls as { uniq: string }[];
    expect(calls.map((entry) => entry.uniq)).toEqual(['dropped']);
  });

  it('faults on the token endpoint are recorded in the OAuth history', async () => {
    await control(h.sandbox, 'POST', '/faults', { accountId: D.id, endpoint: 'POST /oauth2/access_token', kind: 'status', status: 400, count: 1 });
    await expect(connect(h.sandbox, h.integration, D.id, D.host)).rejects.toThrow(/400/);
    const history = await control(h.sandbox, 'GET', `/accounts/${D.id}/oauth`);
    expect(history.body.tokenRequests.at(-1)).toMatchObject({ grantType: 'authorization_code', outcome: 'fault:400' });
  });
});
