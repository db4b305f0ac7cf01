import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedTwilioRequest {
  readonly method: string;
  readonly path: string;
  /** Decoded HTTP Basic credentials (`user:password`). */
  readonly basicAuth: string | null;
  /** Form fields; repeated keys (StatusCallbackEvent) keep every value. */
  readonly form: Record<string, string[]>;
}

export type TwilioFakeBehaviour =
  | { readonly kind: 'ok' }
  /** Twilio's error body (voip.md §1.9): `{code, message, more_info, status}`. */
  | { readonly kind: 'error'; readonly status: number; readonly code: number; readonly message: string }
  /** Never answers (the client's timeout must fire). */
  | { readonly kind: 'hang' };

/**
 * A local stand-in for Twilio's REST Calls resource (voip.md §1.7): `POST /2010-04-01/Accounts/{sid}/Calls.json`,
 * HTTP Basic (Account SID + Auth Token, or API key SID + secret), form body → 201 with a Call resource in
 * Twilio's JSON shape (`sid` CA…, `status` queued, `direction` outbound-api…). Records every request.
 */
export class TwilioRestFake {
  readonly requests: RecordedTwilioRequest[] = [];
  behaviour: TwilioFakeBehaviour = { kind: 'ok' };
  private server: Server | null = null;
  private sequence = 0;
  private readonly hanging: IncomingMessage[] = [];

  constructor(private readonly credentials: { readonly accountSid: string; readonly users: Readonly<Record<string, string>> }) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const form: Record<string, string[]> = {};
        for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) (form[key] ??= []).push(value);
        const header = request.headers.authorization ?? '';
        const basicAuth = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : null;
        const path = request.url ?? '';
        this.requests.push({ method: request.method ?? '', path, basicAuth, form });
        const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Calls\.json$/.exec(path);
        if (request.method !== 'POST' || !match) return json(404, { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
        const [user, password] = (basicAuth ?? ':').split(':');
        if (match[1] !== this.credentials.accountSid || this.credentials.users[user] !== password) {
          return json(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
        }
        const behaviour = this.behaviour;
        if (behaviour.kind === 'hang') return void this.hanging.push(request);
        if (behaviour.kind === 'error') {
          return json(behaviour.status, { code: behaviour.code, message: behaviour.message, more_info: `https://www.twilio.com/docs/errors/${behaviour.code}`, status: behaviour.status });
        }
        const sid = `CA${(++this.sequence).toString(16).padStart(32, 'f')}`;
        const now = new Date().toUTCString();
        json(201, {
          sid,
          account_sid: match[1],
          to: form.To?.[0] ?? null,
          from: form.From?.[0] ?? null,
          status: 'queued',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          date_created: now,
          date_updated: now,
          start_time: null,
          end_time: null,
          duration: null,
          parent_call_sid: null,
          uri: `/2010-04-01/Accounts/${match[1]}/Calls/${sid}.json`,
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  reset(): void {
    this.requests.length = 0;
    this.behaviour = { kind: 'ok' };
  }

  async close(): Promise<void> {
    for (const request of this.hanging) request.socket.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
