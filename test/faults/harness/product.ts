import Bull from 'bull';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { SandboxControl } from '../../utils/sandbox-control';
import { freePort } from '../../utils/free-port';
import { AppProcess, productRoot, sleep, waitForHttp } from './processes';

export const CLIENT_ID = '0f5c2a58-6f1e-4c1b-9a8e-2d7f3b1c4e5a';
export const CLIENT_SECRET = 'test-client-secret-7d3f9a2b4c6e8f10';
const QUEUES = ['kommo-sync', 'call-webhooks', 'call-logging'];

/** The two seeded sandbox accounts and numbers of contacts they know (calls from them go to POST /api/v4/calls). */
export const ACCOUNTS = [
  { id: 31000001, admin: 1001, callers: ['+14155550100', '+79161234567', '+5511912345678', '+12125550199'] },
  { id: 31000002, admin: 2001, callers: ['+5521998765432', '+14155550100'] },
] as const;

export interface ProductOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly logDir: string;
  readonly workers?: number;
  readonly env?: Record<string, string>;
  readonly sandboxEnv?: Record<string, string>;
}

/** The product as deployed: the Kommo sandbox, the api and N workers, each its own process (built dist). */
export class Product {
  readonly queuePrefix = `faults-${randomBytes(3).toString('hex')}`;
  readonly secretsKey = `f1:${randomBytes(32).toString('base64')}`;
  apiUrl = '';
  sandboxUrl = '';
  sandbox!: SandboxControl;
  api!: AppProcess;
  sandboxProcess!: AppProcess;
  workers: AppProcess[] = [];
  workerHealthUrls: string[] = [];
  statusUrls = new Map<number, string>();
  readonly twilio = { accountSid: `AC${'d4'.repeat(16)}`, authToken: '00112233445566778899aabbccddeeff' };
  private appEnv: Record<string, string> = {};

  constructor(private readonly options: ProductOptions) {}

  async start(): Promise<void> {
    const [apiPort, sandboxPort] = [await freePort(), await freePort()];
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    this.sandboxProcess = new AppProcess('sandbox', 'kommo-sandbox', {
      SANDBOX_MODE: 'test',
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_HOST: '127.0.0.1',
      KOMMO_CLIENT_ID: CLIENT_ID,
      KOMMO_CLIENT_SECRET: CLIENT_SECRET,
      KOMMO_REDIRECT_URI: `${this.apiUrl}/kommo/oauth/callback`,
      KOMMO_UNINSTALL_HOOK_URL: `${this.apiUrl}/kommo/uninstall`,
      ...this.options.sandboxEnv,
    }, join(this.options.logDir, 'sandbox.log')).start();
    this.appEnv = {
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      DATABASE_URL: this.options.databaseUrl,
      REDIS_URL: this.options.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      PUBLIC_BASE_URL: this.apiUrl,
      KOMMO_CLIENT_ID: CLIENT_ID,
      KOMMO_CLIENT_SECRET: CLIENT_SECRET,
      KOMMO_API_BASE_URL: this.sandboxUrl,
      SECRETS_ENCRYPTION_KEYS: this.secretsKey,
      ...this.options.env,
    };
    await this.migrate();
    this.api = new AppProcess('api', 'api', { ...this.appEnv, PORT: String(apiPort) }, join(this.options.logDir, 'api.log')).start();
    for (let index = 0; index < (this.options.workers ?? 2); index += 1) await this.addWorker();
    await Promise.all([waitForHttp(`${this.sandboxUrl}/view`), waitForHttp(`${this.apiUrl}/health/live`), ...this.workerHealthUrls.map((url) => waitForHttp(`${url}/health/live`))]);
    this.sandbox = new SandboxControl(this.sandboxUrl);
  }

  /** The one-shot migration, as docker-compose runs it (`cli migrate`). */
  async migrate(): Promise<void> {
    const result = spawnSync(process.execPath, [join(productRoot(), 'dist/apps/cli/main.js'), 'migrate'], {
      env: { ...process.env, ...this.appEnv },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.status !== 0) throw new Error(`migrate failed: ${result.stderr || result.stdout}`);
  }

  async addWorker(): Promise<AppProcess> {
    const port = await freePort();
    const index = this.workers.length;
    const worker = new AppProcess(`worker-${index}`, 'worker', { ...this.appEnv, WORKER_HEALTH_PORT: String(port) }, join(this.options.logDir, `worker-${index}.log`)).start();
    this.workers.push(worker);
    this.workerHealthUrls.push(`http://127.0.0.1:${port}`);
    return worker;
  }

  /** Restarts worker `index` (after a kill) and waits until it answers. */
  async restartWorker(index: number): Promise<void> {
    this.workers[index].start();
    await waitForHttp(`${this.workerHealthUrls[index]}/health/live`);
  }

  /**
   * Isolation between scenarios: the previous scenario's leftovers (jobs retrying, deliveries of calls it never
   * acked) must not be logged during the next one. Pauses every queue, waits for running jobs, empties the queues
   * and the call tables.
   */
  async clearWork(): Promise<void> {
    await this.pendingJobs();
    const queues = this.queues ?? [];
    await Promise.all(queues.map((queue) => queue.pause(false)));
    const deadline = Date.now() + 20_000;
    while ((await Promise.all(queues.map((queue) => queue.getActiveCount()))).some((count) => count > 0) && Date.now() < deadline) await sleep(100);
    for (const queue of queues) await queue.obliterate({ force: true });
    await this.query('TRUNCATE call_webhook_inbox, call_leg, "call", parked_task');
    await this.redis(async (client) => client.del(`${this.queuePrefix}:webhook-spool`));
    await Promise.all(queues.map((queue) => queue.resume(false)));
  }

  /** Fresh sandbox (tokens, faults, request log), both accounts installed and Twilio connected. */
  async resetAccounts(): Promise<void> {
    await this.sandbox.reset('demo');
    for (const account of ACCOUNTS) {
      await this.install(account.id);
      const token = (await this.sandbox.call<{ token: string }>('POST', `/accounts/${account.id}/jwt`, { userId: account.admin })).token;
      const response = await fetch(`${this.apiUrl}/widget/voip-connection`, {
        method: 'PUT',
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'twilio', credentials: this.twilio }),
      });
      if (response.status !== 200) throw new Error(`connect Twilio for ${account.id}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { connection: { webhookUrls: { statusCallbackUrl: string } } };
      this.statusUrls.set(account.id, body.connection.webhookUrls.statusCallbackUrl);
    }
    await this.waitIdle(30_000); // the installs' user syncs
  }

  async install(accountId: number): Promise<void> {
    const start = await fetch(`${this.apiUrl}/kommo/install`, { redirect: 'manual' });
    if (start.status !== 302) throw new Error(`install start answered ${start.status}`);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const { location } = await this.sandbox.call<{ location: string }>('POST', '/oauth/authorize', { accountId, state });
    const callback = await fetch(location, { redirect: 'manual' });
    if (callback.status !== 200) throw new Error(`install of ${accountId} failed: ${callback.status} ${await callback.text()}`);
  }

  /** Posts one Twilio status callback signed like Twilio. */
  async postStatus(accountId: number, params: Record<string, string>, timeoutMs = 15_000): Promise<number> {
    const url = this.statusUrls.get(accountId)!;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(this.twilio.authToken, url, params) },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  private queues: Bull.Queue[] | null = null;

  /** Waiting + active + delayed jobs in every queue (read from Redis), null when Redis does not answer in 2 s. */
  async pendingJobs(): Promise<number | null> {
    this.queues ??= QUEUES.map((name) => new Bull(name, this.options.redisUrl, { prefix: this.queuePrefix }));
    const counts = Promise.all(this.queues.map((queue) => queue.getJobCounts()));
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000).unref());
    const result = await Promise.race([counts.catch(() => null), timeout]);
    return result === null ? null : result.reduce((sum, count) => sum + count.waiting + count.active + count.delayed, 0);
  }

  /** Failed jobs (attempts exhausted) with their reasons, for diagnostics. */
  async failedJobs(): Promise<{ queue: string; id: string; name: string; reason: string }[]> {
    await this.pendingJobs();
    const out: { queue: string; id: string; name: string; reason: string }[] = [];
    for (const queue of this.queues ?? []) {
      for (const job of await queue.getFailed(0, 20)) out.push({ queue: queue.name, id: String(job.id), name: job.name, reason: job.failedReason ?? '' });
    }
    return out;
  }

  /** Jobs not finished yet (waiting, active, delayed), for diagnostics. */
  async unfinishedJobs(): Promise<string[]> {
    await this.pendingJobs();
    const out: string[] = [];
    for (const queue of this.queues ?? []) {
      for (const job of await queue.getJobs(['waiting', 'active', 'delayed'], 0, 20)) {
        if (job) out.push(`${queue.name} ${String(job.id)} attempts=${job.attemptsMade} state=${await job.getState()} reason=${(job.failedReason ?? '').slice(0, 160)}`);
      }
    }
    return out;
  }

  async waitIdle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.pendingJobs()) !== 0) {
      if (Date.now() > deadline) throw new Error(`queues not idle after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await Promise.all((this.queues ?? []).map((queue) => queue.close().catch(() => undefined)));
    await Promise.all([...this.workers.map((worker) => worker.stop('SIGTERM', 5000)), this.api?.stop('SIGTERM', 5000), this.sandboxProcess?.stop('SIGTERM', 5000)]);
  }

  /** Deliveries waiting in the webhook spool (acked while PostgreSQL was unavailable), null if Redis does not answer. */
  async spooled(): Promise<number | null> {
    return this.redis((client) => client.hlen(`${this.queuePrefix}:webhook-spool`)).catch(() => null);
  }

  /** A short-lived Redis client on the product's Redis. */
  async redis<T>(work: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(this.options.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 2000 });
    client.on('error', () => undefined);
    try {
      return await work(client);
    } finally {
      client.disconnect();
    }
  }

  /** A PostgreSQL client on the product's database (short-lived; the database may be restarting). */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.options.databaseUrl, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
}
