import { createConnection, createServer, Server, Socket } from 'node:net';

export type ProxyMode = 'up' | 'refuse' | 'freeze';

/**
 * A TCP proxy in front of a real PostgreSQL or Redis that a test can break: `refuse` drops every open and new
 * connection (the server is down), `freeze` keeps connections open but stops forwarding (the server hangs),
 * `up` forwards again (new connections; bytes held while frozen are delivered).
 */
export class TcpFaultProxy {
  private server: Server | null = null;
  private mode: ProxyMode = 'up';
  private readonly pairs = new Set<Pair>();

  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', resolve);
    });
  }

  set(mode: ProxyMode): void {
    this.mode = mode;
    for (const pair of this.pairs) {
      if (mode === 'refuse') {
        pair.client.destroy();
        pair.upstream.destroy();
      } else if (mode === 'freeze') {
        freeze(pair);
      } else {
        flow(pair);
      }
    }
  }

  async stop(): Promise<void> {
    this.set('refuse');
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = createConnection(this.target);
    const pair: Pair = { client, upstream, flowing: false };
    this.pairs.add(pair);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    if (this.mode === 'freeze') freeze(pair);
    else flow(pair);
  }
}

/** Stops forwarding (a piped stream would resume on its own on 'drain': unpipe first). */
interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  flowing: boolean;
}

function freeze(pair: Pair): void {
  const { client, upstream } = pair;
  pair.flowing = false;
  client.unpipe(upstream);
  upstream.unpipe(client);
  client.pause();
  upstream.pause();
}

function flow(pair: Pair): void {
  if (pair.flowing) return;
  pair.flowing = true;
  pair.client.pipe(pair.upstream);
  pair.upstream.pipe(pair.client);
}
