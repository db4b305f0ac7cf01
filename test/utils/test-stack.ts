import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ALL_QUEUES, AppConfig, loadAppConfig } from '@app/application';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/app.setup';
import { startKommoSandbox } from '../../apps/kommo-sandbox/src/sandbox.bootstrap';
import { ConsoleWorkerModule } from '../../apps/worker/src/console-worker.module';
import { freePort } from './free-port';
import { SandboxControl } from './sandbox-control';

export const TEST_CLIENT_ID = '0f5c2a58-6f1e-4c1b-9a8e-2d7f3b1c4e5a';
export const TEST_CLIENT_SECRET = 'test-client-secret-7d3f9a2b4c6e8f10';
/** Demo seed of the sandbox (see apps/kommo-sandbox README). */
export const DEMO = { accountId: 31000001, host: 'demo.kommo.com', admin: 1001, manager: 1002, inactive: 1004 } as const;
export const ACME = { accountId: 31000002, host: 'acme.kommo.com', admin: 2001, manager: 2002 } as const;

export interface TestStack {
  readonly apiUrl: string;
  readonly config: AppConfig;
  readonly api: INestApplication;
  readonly worker: INestApplicationContext;
  readonly sandbox: SandboxControl;
  readonly dataSource: DataSource;
  /**
   * A clean slate between tests: waits for running jobs to finish, empties every queue, then every
   * table (a job still writing while TRUNCATE runs would deadlock or leak rows into the next test).
   */
  resetState(): Promise<void>;
  /** Waits until no job is waiting, delayed or running in any queue. */
  drain(timeoutMs?: number): Promise<void>;
  /** Another worker process's worth of Nest context (its own in-process state), for cross-process tests. */
  startExtraWorker(): Promise<INestApplicationContext>;
  close(): Promise<void>;
}

/**
 * The product as it runs, in-process: the Kommo sandbox on its own port, the worker (Bull processors)
 * and the api listening on 127.0.0.1, on the real PostgreSQL and Redis of the test environment.
 */
export async function startTestStack(options: { env?: Record<string, string> } = {}): Promise<TestStack> {
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sandbox = await startKommoSandbox({
    port: 0,
    mode: 'test',
    seed: 'demo',
    logger: false,
    integration: {
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      redirectUri: `${apiUrl}/kommo/oauth/callback`,
      uninstallHookUrl: `${apiUrl}/kommo/uninstall`,
    },
  });
  const config = loadAppConfig(
    {
      ...process.env,
      PORT: String(apiPort),
      PUBLIC_BASE_URL: apiUrl,
      KOMMO_CLIENT_ID: TEST_CLIENT_ID,
      KOMMO_CLIENT_SECRET: TEST_CLIENT_SECRET,
      KOMMO_API_BASE_URL: sandbox.url,
      SECRETS_ENCRYPTION_KEYS: `t1:${randomBytes(32).toString('base64')}`,
      QUEUE_PREFIX: `test-${process.pid}-${randomBytes(3).toString('hex')}`,
      ...options.env,
    },
    ApiModule.CONFIG_SECTIONS,
  );

  const workers: INestApplicationContext[] = [];
  const startWorker = async () => {
    const context = await NestFactory.createApplicationContext(ConsoleWorkerModule.register(config), { logger: ['error'] });
    context.enableShutdownHooks();
    workers.push(context);
    return context;
  };
  const worker = await startWorker();
  const api = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), { bodyParser: false, logger: ['error'] });
  configureApp(api);
  await api.listen(apiPort, '127.0.0.1');
  const dataSource = api.get(DataSource);
  await truncateAll(dataSource);

  return {
    apiUrl,
    config,
    api,
    worker,
    sandbox: new SandboxControl(sandbox.url),
    dataSource,
    startExtraWorker: startWorker,
    async drain(timeoutMs = 20_000) {
      const queues = ALL_QUEUES.map((name) => api.get<Queue>(getQueueToken(name)));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts()));
        if (counts.every((count) => count.waiting + count.active + count.delayed === 0)) return;
        if (Date.now() > deadline) throw new Error(`queues not drained after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async resetState() {
      const queues = ALL_QUEUES.map((name) => api.get<Queue>(getQueueToken(name)));
      await Promise.all(queues.map((queue) => queue.pause(false)));
      const deadline = Date.now() + 15_000;
      while ((await Promise.all(queues.map((queue) => queue.getActiveCount()))).some((count) => count > 0)) {
        if (Date.now() > deadline) throw new Error('jobs still running after 15 s');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      for (const queue of queues) await queue.obliterate({ force: true });
      await truncateAll(dataSource);
      await Promise.all(queues.map((queue) => queue.resume(false)));
    },
    async close() {
      for (const name of ALL_QUEUES) {
        const queue = api.get<Queue>(getQueueToken(name));
        await queue.obliterate({ force: true }).catch(() => undefined);
      }
      await api.close();
      for (const context of workers.reverse()) await context.close();
      await sandbox.close();
    },
  };
}

/** Empties every table (the schema stays: it comes from the migrations, once per run). */
export async function truncateAll(dataSource: DataSource): Promise<void> {
  const tables = dataSource.entityMetadatas.map((metadata) => `"${metadata.tableName}"`).join(', ');
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dataSource.query(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
      return;
    } catch (error) {
      const deadlock = (error as { driverError?: { code?: string } }).driverError?.code === '40P01';
      if (!deadlock || attempt >= 5) throw error;
    }
  }
}
