import { KOMMO_ACCOUNT_REPOSITORY, QueueName, TASK_QUEUE } from '@app/application';
import { AccountNeedsReauthError, KommoAccountRepository, syncKommoUsersTask, TaskName, TaskQueue } from '@app/domain';
import { getQueueToken } from '@nestjs/bull';
import { Queue } from 'bull';
import { KommoApiClient } from '@app/kommo';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../utils/free-port';
import { freshInstall, installAccount } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';

describe('Kommo token service (real Redis lock, real PostgreSQL, sandbox token endpoint)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    await stack.drain(); // the install's user sync is done before each test changes the grant
  });

  const refreshes = async () => (await stack.sandbox.oauthHistory(DEMO.accountId)).tokenRequests.filter((r) => r.grantType === 'refresh_token');
  const account = async () =>
    (await stack.dataSource.query('SELECT status, token_version, token_expires_at FROM kommo_account WHERE id = $1', [DEMO.accountId]))[0] as {
      status: string;
      token_version: number;
      token_expires_at: Date | null;
    };
  const expireSoon = () =>
    stack.dataSource.query(`UPDATE kommo_account SET token_expires_at = now() + interval '30 seconds' WHERE id = $1`, [DEMO.accountId]);

  it('20 concurrent requests from two worker processes on an expiring token cause exactly one refresh', async () => {
    const other = await stack.startExtraWorker();
    await expireSoon();
    const before = await account();
    const clients = [stack.worker.get(KommoApiClient), other.get(KommoApiClient)];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        clients[index % 2].request(DEMO.accountId, { method: 'GET', path: '/api/v4/account' }),
      ),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const done = await refreshes();
    expect(done).toHaveLength(1);
    expect(done[0].outcome).toBe('issued');
    const after = await account();
    expect(after.token_version).toBe(before.token_version + 1);
    expect(after.token_expires_at!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
  });

  it('a 401 from Kommo refreshes once and retries once — once for 20 concurrent callers', async () => {
    await stack.sandbox.expireAccessTokens(DEMO.accountId); // Kommo says expired; our clock says fine
    const client = stack.worker.get(KommoApiClient);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => client.request(DEMO.accountId, { method: 'GET', path: '/api/v4/account' })),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(await refreshes()).toHaveLength(1);
  });

  it('invalid_grant marks the account needs-reauth, parks its work, shows it in the API and CLI, and never loops', async () => {
    await stack.sandbox.revokeGrant(DEMO.accountId);
    await expireSoon();
    const client = stack.worker.get(KommoApiClient);
    await expect(client.request(DEMO.accountId, { method: 'GET', path: '/api/v4/account' })).rejects.toBeInstanceOf(AccountNeedsReauthError);
    await expect(client.request(DEMO.accountId, { method: 'GET', path: '/api/v4/account' })).rejects.toBeInstanceOf(AccountNeedsReauthError);
    expect(await refreshes()).toHaveLength(1); // one refused refresh, no loop
    expect((await account()).status).toBe('needs_reauth');
    const stored = await stack.worker.get<KommoAccountRepository>(KOMMO_ACCOUNT_REPOSITORY).findById(DEMO.accountId);
    expect(stored?.tokens).toBeNull();

    // Work for the account is parked, durably, instead of failing or retrying.
    await stack.api.get<TaskQueue>(TASK_QUEUE).enqueue(syncKommoUsersTask(DEMO.accountId, 'after-revoke'));
    await eventually(async () => Number((await stack.dataSource.query('SELECT count(*) AS n FROM parked_task'))[0].n) === 1);

    // Visible to the widget...
    const token = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const status = (await (await fetch(`${stack.apiUrl}/widget/account`, { headers: { 'X-Auth-Token': token } })).json()) as {
      status: string;
      parkedTasks: number;
      reauthorizeUrl: string;
    };
    expect(status.status).toBe('needs_reauth');
    expect(status.parkedTasks).toBe(1);
    expect(status.reauthorizeUrl).toBe(`${stack.apiUrl}/kommo/install`);

    // ...and to the CLI.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'accounts:list', '--json'],
      {
        cwd: `${__dirname}/../..`,
        env: {
          ...process.env,
          DATABASE_URL: stack.config.databaseUrl,
          REDIS_URL: stack.config.redisUrl,
          SECRETS_ENCRYPTION_KEYS: stack.config.encryptionKeys,
          TS_NODE_PROJECT: 'tsconfig.json',
        },
        timeout: 60_000,
      },
    );
    const rows = JSON.parse(stdout) as { id: number; status: string; parkedTasks: number }[];
    expect(rows).toEqual([expect.objectContaining({ id: DEMO.accountId, status: 'needs_reauth', parkedTasks: 1 })]);

    // Re-authorising resumes the parked work.
    await installAccount(stack, DEMO.accountId);
    expect((await account()).status).toBe('connected');
    await eventually(async () => Number((await stack.dataSource.query('SELECT count(*) AS n FROM parked_task'))[0].n) === 0);
    const queue = stack.api.get<Queue>(getQueueToken(QueueName.KommoSync));
    const resumed = await eventually(async () => {
      const jobs = await queue.getJobs(['completed']);
      return jobs.find((job) => String(job.id).startsWith(`${TaskName.SyncKommoUsers}-${DEMO.accountId}-after-revoke-resumed-`));
    });
    expect(resumed.finishedOn).toBeGreaterThan(0);
  }, 90_000);
});
