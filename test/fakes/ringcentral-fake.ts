import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * RingCentral's platform, offline (voip.md §2): the JWT token endpoint, webhook subscriptions — with the
 * Validation-Token handshake RingCentral performs on creation (answer 200 within 3 s, echoing the token in a
 * response header, whole response ≤ 1024 bytes, else SUB-525) —, the account call log (paged, absolute
 * navigation URIs), extensions, RingOut, and recording media (Range). It serves the documented payloads from
 * test/fixtures/providers/ringcentral and refuses wrong credentials like RingCentral does.
 */
export interface RingCentralFakeSubscription {
  id: string;
  status: 'Active' | 'Blacklisted' | 'Suspended';
  expirationTime: string;
  address: string;
  verificationToken: string;
}

export interface RingCentralFake {
  readonly url: string;
  readonly requests: { method: string; path: string; authorization?: string; body?: unknown }[];
  readonly subscriptions: Map<string, RingCentralFakeSubscription>;
  readonly handshakes: { address: string; ms: number; status: number; echoed: boolean; bytes: number }[];
  /** Records the call log serves (any window); `pageSize` splits them into pages. */
  callLog: Record<string, unknown>[];
  pageSize: number;
  readonly media: Buffer;
  /** How many token requests each grant type received. */
  readonly tokenGrants: string[];
  /** Delivers a notification to a subscription's address, as RingCentral does (Verification-Token header). */
  deliver(subscriptionId: string, envelope: unknown, token?: string | null): Promise<Response>;
  close(): Promise<void>;
}

export const RC_FIXTURES = join(__dirname, '../fixtures/providers/ringcentral');
export const rcFixture = <T = Record<string, unknown>>(name: string): T => JSON.parse(readFileSync(join(RC_FIXTURES, name), 'utf8')) as T;

export async function startRingCentralFake(credentials: { clientId: string; clientSecret: string; jwt: string }): Promise<RingCentralFake> {
  const issued = new Set<string>();
  const refreshTokens = new Set<string>();
  const fake: Omit<RingCentralFake, 'url' | 'deliver' | 'close'> = {
    requests: [],
    subscriptions: new Map(),
    handshakes: [],
    callLog: [],
    pageSize: 250,
    media: Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 7) % 256)),
    tokenGrants: [],
  };
  let origin = '';

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const readBody = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', origin);
    const raw = await readBody(request);
    const body = raw && (request.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw) as Record<string, unknown>) : raw;
    fake.requests.push({ method: request.method ?? 'GET', path: `${url.pathname}${url.search}`, authorization: request.headers.authorization, body });

    if (url.pathname === '/restapi/oauth/token' && request.method === 'POST') {
      const basic = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;
      if (request.headers.authorization !== basic) return json(response, 401, { error: 'invalid_client', error_description: 'Invalid client' });
      const form = new URLSearchParams(raw);
      const grant = form.get('grant_type') ?? '';
      fake.tokenGrants.push(grant);
      const ok =
        (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && form.get('assertion') === credentials.jwt) ||
        (grant === 'refresh_token' && refreshTokens.has(form.get('refresh_token') ?? ''));
      if (!ok) return json(response, 400, { error: 'invalid_grant', error_description: 'Invalid JWT' });
      const token = { ...rcFixture<Record<string, unknown>>('token.json'), access_token: `AT-${randomBytes(8).toString('hex')}`, refresh_token: `RT-${randomBytes(8).toString('hex')}` };
      issued.add(token.access_token);
      refreshTokens.add(token.refresh_token);
      return json(response, 200, token);
    }

    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !issued.has(bearer)) return json(response, 401, { errorCode: 'TokenInvalid', message: 'Token not found' });

    const recording = /^\/restapi\/v1\.0\/account\/[^/]+\/recording\/([^/]+)\/content$/.exec(url.pathname);
    if (recording && request.method === 'GET') {
      const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
      if (!match) return void response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': fake.media.length }).end(fake.media);
      const start = Number(match[1]);
      const end = match[2] ? Number(match[2]) : fake.media.length - 1;
      response.writeHead(206, { 'content-type': 'audio/mpeg', 'content-range': `bytes ${start}-${end}/${fake.media.length}`, 'content-length': end - start + 1 });
      return void response.end(fake.media.subarray(start, end + 1));
    }

    if (url.pathname === '/restapi/v1.0/subscription' && request.method === 'POST') {
      const input = body as { eventFilters?: string[]; deliveryMode?: { transportType?: string; address?: string; verificationToken?: string }; expiresIn?: number };
      const address = input.deliveryMode?.address ?? '';
      if (input.deliveryMode?.transportType !== 'WebHook' || !address) return json(response, 400, { errorCode: 'SUB-521', message: 'Parameter [deliveryMode.address] value is invalid' });
      const validationToken = randomBytes(16).toString('hex');
      const started = Date.now();
      let ok = false;
      try {
        const answer = await fetch(address, { method: 'POST', headers: { 'validation-token': validationToken, 'content-type': 'application/json' }, signal: AbortSignal.timeout(3000) });
        const text = await answer.text();
        const bytes = [...answer.headers.entries()].reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0) + Buffer.byteLength(text);
        const echoed = answer.headers.get('validation-token') === validationToken;
        fake.handshakes.push({ address, ms: Date.now() - started, status: answer.status, echoed, bytes });
        ok = answer.status === 200 && echoed && bytes <= 1024;
      } catch {
        fake.handshakes.push({ address, ms: Date.now() - started, status: 0, echoed: false, bytes: 0 });
      }
      if (!ok) return json(response, 400, { errorCode: 'SUB-525', message: 'WebHook server response is invalid' });
      const subscription: RingCentralFakeSubscription = {
        id: randomBytes(16).toString('hex'),
        status: 'Active',
        expirationTime: new Date(Date.now() + (input.expiresIn ?? 604800) * 1000).toISOString(),
        address,
        verificationToken: input.deliveryMode?.verificationToken ?? '',
      };
      fake.subscriptions.set(subscription.id, subscription);
      return json(response, 200, { ...rcFixture<Record<string, unknown>>('subscription.json'), id: subscription.id, status: subscription.status, expirationTime: subscription.expirationTime, eventFilters: input.eventFilters, deliveryMode: { transportType: 'WebHook', address } });
    }
    const subscriptionPath = /^\/restapi\/v1\.0\/subscription\/([^/]+)(\/renew)?$/.exec(url.pathname);
    if (subscriptionPath) {
      const subscription = fake.subscriptions.get(subscriptionPath[1]);
      if (!subscription) return json(response, 404, { errorCode: 'SUB-100', message: 'Subscription not found' });
      if (request.method === 'DELETE') {
        fake.subscriptions.delete(subscription.id);
        return void response.writeHead(204).end();
      }
      if (subscriptionPath[2] && request.method === 'POST') {
        if (subscription.status !== 'Active') return json(response, 400, { errorCode: 'SUB-406', message: 'Subscription is blacklisted' });
        subscription.expirationTime = new Date(Date.now() + 604800 * 1000).toISOString();
      }
      return json(response, 200, { id: subscription.id, status: subscription.status, expirationTime: subscription.expirationTime, deliveryMode: { transportType: 'WebHook', address: subscription.address } });
    }

    if (url.pathname === '/restapi/v1.0/account/~/call-log' && request.method === 'GET') {
      const session = url.searchParams.get('telephonySessionId');
      const records = session ? fake.callLog.filter((record) => record.telephonySessionId === session) : fake.callLog;
      const page = Number(url.searchParams.get('page') ?? '1');
      const slice = records.slice((page - 1) * fake.pageSize, page * fake.pageSize);
      const next = page * fake.pageSize < records.length ? new URL(url.toString().replace(origin, 'https://platform.ringcentral.com')) : null;
      next?.searchParams.set('page', String(page + 1));
      return json(response, 200, { records: slice, paging: { page, perPage: fake.pageSize }, navigation: next ? { nextPage: { uri: next.toString() } } : {} });
    }
    if (url.pathname === '/restapi/v1.0/account/~/extension' && request.method === 'GET') return json(response, 200, rcFixture('extensions.json'));
    if (/^\/restapi\/v1\.0\/account\/~\/extension\/[^/]+\/ring-out$/.test(url.pathname) && request.method === 'POST') {
      const input = body as { to?: { phoneNumber?: string } };
      if (!/^\+\d{8,15}$/.test(input.to?.phoneNumber ?? '')) return json(response, 400, { errorCode: 'CMN-101', message: 'Parameter [to.phoneNumber] value is invalid' });
      return json(response, 200, rcFixture('ring-out.json'));
    }
    return json(response, 404, { errorCode: 'CMN-102', message: `Resource for parameter [${url.pathname}] is not found` });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => json(response, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url: origin,
    deliver(subscriptionId: string, envelope: unknown, token?: string | null) {
      const subscription = fake.subscriptions.get(subscriptionId);
      if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
      const verification = token === undefined ? subscription.verificationToken : token;
      return fetch(subscription.address, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'RingCentral-Webhook/8.3', ...(verification !== null ? { 'verification-token': verification } : {}) },
        body: JSON.stringify({ ...(envelope as object), subscriptionId }),
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
