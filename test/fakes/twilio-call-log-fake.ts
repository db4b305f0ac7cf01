import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Twilio's Calls list, offline: `GET /2010-04-01/Accounts/{AccountSid}/Calls.json` with Basic auth (account SID +
 * auth token), Twilio's snake_case page shape and `next_page_uri` paging (`pageSize` per page). Serves the
 * documented records of test/fixtures/providers/twilio/calls-list.json unless a test sets `calls`.
 */
export interface TwilioCallLogFake {
  readonly url: string;
  readonly requests: { path: string; authorization?: string }[];
  calls: Record<string, unknown>[];
  pageSize: number;
  close(): Promise<void>;
}

export const twilioCallsFixture = (): Record<string, unknown>[] =>
  (JSON.parse(readFileSync(join(__dirname, '../fixtures/providers/twilio/calls-list.json'), 'utf8')) as { calls: Record<string, unknown>[] }).calls;

export async function startTwilioCallLogFake(credentials: { accountSid: string; authToken: string }): Promise<TwilioCallLogFake> {
  const fake: Omit<TwilioCallLogFake, 'url' | 'close'> = { requests: [], calls: twilioCallsFixture(), pageSize: 50 };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    fake.requests.push({ path: `${url.pathname}${url.search}`, authorization: request.headers.authorization });
    const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const expected = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return json(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const path = `/2010-04-01/Accounts/${credentials.accountSid}/Calls.json`;
    if (url.pathname !== path || request.method !== 'GET') return json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const page = Number(url.searchParams.get('Page') ?? '0');
    const slice = fake.calls.slice(page * fake.pageSize, (page + 1) * fake.pageSize);
    const query = new URLSearchParams(url.searchParams);
    query.set('Page', String(page + 1));
    const more = (page + 1) * fake.pageSize < fake.calls.length;
    return json(200, { calls: slice, page, page_size: fake.pageSize, start: page * fake.pageSize, end: page * fake.pageSize + slice.length - 1, next_page_uri: more ? `${path}?${query.toString()}` : null, uri: `${path}${url.search}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
