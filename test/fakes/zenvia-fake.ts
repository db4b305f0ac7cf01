import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Zenvia Voice's API, offline (voip.md §3): `Access-Token` auth, the `{status, sucesso, motivo, mensagem, dados}`
 * envelope, `POST /chamada` (two-leg click-to-call), the call report `GET /chamada/relatorio` (paged by
 * posicao/limite), `GET /ramal/relatorio`, and a call's recording `GET /chamada/{id}/gravacao` (audio/mpeg).
 * Serves the documented payloads of test/fixtures/providers/zenvia.
 */
export interface ZenviaFake {
  readonly url: string;
  readonly requests: { method: string; path: string; token?: string; body?: unknown }[];
  /** Calls the report lists. */
  report: Record<string, unknown>[];
  readonly audio: Buffer;
  close(): Promise<void>;
}

export const zenviaFixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/providers/zenvia', name), 'utf8')) as T;

export async function startZenviaFake(accessToken: string): Promise<ZenviaFake> {
  const fake: Omit<ZenviaFake, 'url' | 'close'> = { requests: [], report: [], audio: Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 13) % 256)) };
  let origin = '';
  const reply = (response: ServerResponse, status: number, dados: unknown, mensagem = 'dados retornados com sucesso') =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status, sucesso: status < 300, motivo: status < 300 ? 0 : 1, mensagem, dados }));

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', origin);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const token = typeof request.headers['access-token'] === 'string' ? request.headers['access-token'] : undefined;
    fake.requests.push({ method: request.method ?? 'GET', path: `${url.pathname}${url.search}`, token, body });
    if (token !== accessToken) return reply(response, 403, null, 'Access-Token inválido');

    if (url.pathname === '/chamada' && request.method === 'POST') {
      const input = body as { numero_origem?: string; numero_destino?: string };
      if (!input?.numero_origem || !/^\+?\d{8,15}$/.test(input.numero_destino ?? '')) return reply(response, 400, null, 'numero_destino inválido');
      const created = zenviaFixture<{ dados: unknown }>('chamada-criada.json');
      return reply(response, 200, created.dados, 'chamada criada com sucesso');
    }
    if (url.pathname === '/chamada/relatorio' && request.method === 'GET') {
      if (!url.searchParams.get('data_inicio') || !url.searchParams.get('data_fim')) return reply(response, 400, null, 'data_inicio e data_fim são obrigatórios');
      const offset = Number(url.searchParams.get('posicao') ?? '0');
      const limit = Number(url.searchParams.get('limite') ?? '100');
      return reply(response, 200, { relatorio: fake.report.slice(offset, offset + limit) });
    }
    if (url.pathname === '/ramal/relatorio' && request.method === 'GET') return reply(response, 200, zenviaFixture<{ dados: unknown }>('ramal-relatorio.json').dados);
    const recording = /^\/chamada\/(\d+)\/gravacao$/.exec(url.pathname);
    if (recording && request.method === 'GET') {
      const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
      if (!match) return void response.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': fake.audio.length }).end(fake.audio);
      const start = Number(match[1]);
      const end = match[2] ? Number(match[2]) : fake.audio.length - 1;
      response.writeHead(206, { 'content-type': 'audio/mpeg', 'content-range': `bytes ${start}-${end}/${fake.audio.length}`, 'content-length': end - start + 1 });
      return void response.end(fake.audio.subarray(start, end + 1));
    }
    return reply(response, 404, null, 'recurso não encontrado');
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => reply(response, 500, null, String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, { url: origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
