import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RunningSandbox, startKommoSandbox } from '../src/sandbox.bootstrap';
import { SandboxOptions } from '../src/sandbox-options';

export const CLIENT_ID = '9b2f6c1e-3a4d-4e5f-8a7b-1c2d3e4f5a6b';
export const CLIENT_SECRET = 'contract-test-secret-0123456789abcdef';

/** A tiny HTTP server standing in for the integration: records every request it gets. */
export class FakeIntegration {
  readonly requests: { method: string; url: URL; headers: IncomingMessage['headers']; body: string }[] = [];
  status = 200;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: new URL(req.url ?? '/', this.url), headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.statusCode = this.status;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface Harness {
  readonly sandbox: RunningSandbox;
  readonly integration: FakeIntegration;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<SandboxOptions> = {}): Promise<Harness> {
  const integration = await new FakeIntegration().start();
  const sandbox = await startKommoSandbox({
    port: 0,
    mode: 'test',
    seed: 'demo',
    logger: false,
    integration: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: `${integration.url}/kommo/oauth/callback`,
      uninstallHookUrl: `${integration.url}/kommo/uninstall`,
      widgetCode: 'voip_test',
    },
    ...overrides,
  });
  return {
    sandbox,
    integration,
    async close() {
      await sandbox.close();
      await integration.stop();
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read loosely
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read loosely
export async function http<T = any>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; host?: string; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.host) headers['x-forwarded-host'] = options.host;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: response.status, headers: response.headers, text, body: body as T };
}

/** The sandbox's control plane. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read loosely
export function control<T = any>(sandbox: RunningSandbox, method: string, path: string, body?: unknown): Promise<Answer<T>> {
  return http<T>(sandbox.url, method, `/_sandbox${path}`, { body });
}

/** Authorises the integration for an account (as `userId`) and exchanges the code: the token pair. */
export async function connect(
  sandbox: RunningSandbox,
  integration: FakeIntegration,
  accountId: number,
  host: string,
  userId?: number,
): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const location = new URL((await control(sandbox, 'POST', '/oauth/authorize', { accountId, userId })).body.location);
  const answer = await http(sandbox.url, 'POST', '/oauth2/access_token', {
    host,
    body: {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code: location.searchParams.get('code'),
      redirect_uri: `${integration.url}/kommo/oauth/callback`,
    },
  });
  if (answer.status !== 200) throw new Error(`token exchange failed: ${answer.status} ${answer.text}`);
  return answer.body;
}

export function refreshBody(integration: FakeIntegration, refreshToken: string): Record<string, string> {
  return {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    redirect_uri: `${integration.url}/kommo/oauth/callback`,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
