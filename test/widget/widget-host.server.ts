import AdmZip from 'adm-zip';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const HARNESS_DIR = join(REPO_ROOT, 'test', 'widget', 'harness');
const VENDOR: Record<string, string> = {
  'jquery.js': join(REPO_ROOT, 'node_modules', 'jquery', 'dist', 'jquery.js'),
  'require.js': join(REPO_ROOT, 'node_modules', 'requirejs', 'require.js'),
  'twig.js': join(REPO_ROOT, 'node_modules', 'twig', 'twig.min.js'),
};

/**
 * Builds the widget with `npm run widget:build`'s script and unpacks the resulting widget.zip, so the
 * browser loads exactly the archive an administrator would upload to Kommo.
 */
function unpackBuiltWidget(): { dir: string; cleanup: () => void } {
  const work = mkdtempSync(join(tmpdir(), 'kvoip-widget-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'widget', 'tools', 'build.js'), '--out', work], { stdio: 'pipe' });
  const dir = join(work, 'unpacked');
  new AdmZip(join(work, 'widget.zip')).extractAllTo(dir, true);
  return { dir, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.twig': 'text/plain; charset=utf-8',
};

export interface WidgetHost {
  /** `http://127.0.0.1:PORT`: pass it to the api as a CORS origin. */
  readonly origin: string;
  /** The harness page for a Kommo user of an account, talking to our api at `serverUrl`. */
  pageUrl(input: { accountId: number; userId: number; serverUrl: string; lang?: string; area?: 'settings' | 'advanced' | 'ccard' | 'dashboard'; card?: number; phones?: string[] }): string;
  close(): Promise<void>;
}

/**
 * Serves the Kommo host harness, the widget archive (`/widget/*`, as Kommo would from its CDN), jQuery
 * and RequireJS from node_modules, and `/__host/jwt`, where the page gets the X-Auth-Token JWT that
 * Kommo would mint for the signed-in user (here: the Kommo sandbox's control plane, via `mintJwt`).
 */
export async function startWidgetHost(options: { mintJwt: (accountId: number, userId: number) => Promise<string> }): Promise<WidgetHost> {
  const widget = unpackBuiltWidget();
  const server: Server = createServer((request, response) => {
    handle(request, response, options.mintJwt, widget.dir).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl({ accountId, userId, serverUrl, lang = 'en', area = 'settings', card, phones }) {
      const query = new URLSearchParams({ account: String(accountId), user: String(userId), server: serverUrl, lang, area });
      if (card) query.set('card', String(card));
      if (phones) query.set('phones', phones.join(','));
      return `${origin}/?${query.toString()}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      widget.cleanup();
    },
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, mintJwt: (accountId: number, userId: number) => Promise<string>, widgetDir: string) {
  const url = new URL(request.url ?? '/', 'http://harness');
  if (request.method !== 'GET') return send(response, 405, 'method not allowed');
  if (url.pathname === '/') return sendFile(response, join(HARNESS_DIR, 'index.html'));
  if (url.pathname === '/favicon.ico') return send(response, 204, '');
  if (url.pathname === '/__host/jwt') {
    const accountId = Number(url.searchParams.get('account'));
    const userId = Number(url.searchParams.get('user'));
    if (!Number.isInteger(accountId) || !Number.isInteger(userId)) return send(response, 400, 'account and user are required');
    const token = await mintJwt(accountId, userId);
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ token }));
    return;
  }
  if (url.pathname.startsWith('/vendor/')) {
    const file = VENDOR[url.pathname.slice('/vendor/'.length)];
    return file ? sendFile(response, file) : send(response, 404, 'not found');
  }
  if (url.pathname.startsWith('/harness/')) return sendFile(response, inside(HARNESS_DIR, url.pathname.slice('/harness/'.length)));
  if (url.pathname.startsWith('/widget/')) return sendFile(response, inside(widgetDir, url.pathname.slice('/widget/'.length)));
  return send(response, 404, 'not found');
}

/** `relative` resolved under `root`, or null when it escapes it. */
function inside(root: string, relative: string): string | null {
  const target = normalize(join(root, decodeURIComponent(relative)));
  return target.startsWith(root + sep) ? target : null;
}

async function sendFile(response: ServerResponse, file: string | null) {
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return send(response, 404, 'not found');
  response.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(response);
}

function send(response: ServerResponse, status: number, text: string) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
