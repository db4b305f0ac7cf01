import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Everything the harness started, killed when this process exits however it exits (no orphans). */
const started = new Set<{ kill(): void }>();
process.once('exit', () => {
  for (const item of started) item.kill();
});

/** Where the built product lives (`npm run build`); OPS_ROOT points at another checkout. */
export function productRoot(): string {
  return process.env.OPS_ROOT ?? join(__dirname, '..', '..', '..');
}

export type AppName = 'api' | 'worker' | 'kommo-sandbox' | 'cli';

/** A product process (built dist) with its output in a log file. */
export class AppProcess {
  private child: ChildProcess | null = null;
  private exit: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: string,
    private readonly app: AppName,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): this {
    const main = join(productRoot(), 'dist', 'apps', this.app, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [main], { cwd: productRoot(), env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    const handle = { kill: () => child.kill('SIGKILL') };
    started.add(handle);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        started.delete(handle);
        resolve(code);
      }),
    );
    return this;
  }

  /** Sends `signal` and waits for the process to end (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  exited(): Promise<number | null> {
    return this.exit;
  }
}

export async function waitForHttp(url: string, timeoutMs = 20_000, expectOk = true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (!expectOk || response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not answering after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A redis-server of our own (port, data dir, AOF everysec) that the suite may kill and restart. */
export class RedisServer {
  private child: ChildProcess | null = null;
  private exit: Promise<void> = Promise.resolve();

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--logfile', this.logFile];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    const handle = { kill: () => child.kill('SIGKILL') };
    started.add(handle);
    this.exit = new Promise((resolve) =>
      child.once('exit', () => {
        started.delete(handle);
        resolve();
      }),
    );
    const deadline = Date.now() + 10_000;
    while ((await this.cli('PING').catch(() => '')) !== 'PONG') {
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start (see ${this.logFile})`);
      await sleep(50);
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill(signal);
    await this.exit;
  }

  /** Deletes the data directory of a stopped server: the next start has an empty dataset. */
  wipe(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) throw new Error('stop redis-server before wiping its data');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), ...args], { timeout: 5000 });
    return stdout.trim();
  }
}

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of our own in a temp dir (initdb + pg_ctl as the `postgres` OS user: they refuse to run
 * as root), on its own port, so the suite can stop and start it.
 */
export class PostgresCluster {
  readonly dir: string;

  /** Its log (inside the cluster's dir: the `postgres` user must be able to write it). */
  readonly logFile: string;

  constructor(readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'kommo-voip-faults-pg-'));
    this.logFile = join(this.dir, 'postgres.log');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/kommo_voip_faults`;
  }

  /** The postmaster's pid (from postmaster.pid), to kill it if the harness dies without stopping it. */
  private postmasterPid(): number | null {
    try {
      return Number(readFileSync(join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
    } catch {
      return null;
    }
  }

  async init(): Promise<void> {
    started.add({
      kill: () => {
        const pid = this.postmasterPid();
        if (pid) {
          try {
            process.kill(pid, 'SIGQUIT'); // PostgreSQL's immediate shutdown
          } catch {
            // already gone
          }
        }
      },
    });
    await this.asPostgres(`chown`, []); // ownership first (see asPostgres)
    await this.asPostgres(`${PG_BIN}/initdb`, ['-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await this.start();
    await this.asPostgres(`${PG_BIN}/createdb`, ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', 'kommo_voip_faults']);
  }

  async start(): Promise<void> {
    await this.asPostgres(`${PG_BIN}/pg_ctl`, [
      '-D',
      join(this.dir, 'data'),
      '-l',
      this.logFile,
      '-w',
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c max_connections=100`,
      'start',
    ]);
  }

  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.asPostgres(`${PG_BIN}/pg_ctl`, ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    await this.stop('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs a PostgreSQL binary as the `postgres` OS user when we are root (initdb/pg_ctl refuse root). */
  private async asPostgres(command: string, args: string[]): Promise<void> {
    const root = process.getuid?.() === 0;
    if (command === 'chown') {
      if (root) await run('chown', ['-R', 'postgres:postgres', this.dir]);
      return;
    }
    if (root) await run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 60_000 });
    else await run(command, args, { timeout: 60_000 });
  }
}
