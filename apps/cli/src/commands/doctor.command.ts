import { Inject } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import { ALL_QUEUES, APP_CONFIG, KOMMO_ACCOUNT_REPOSITORY, KOMMO_USER_REPOSITORY, REDIS, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import type { AppConfig } from '@app/application';
import type { KommoAccountRepository, KommoUserRepository, VoipConnectionRepository } from '@app/domain';
import type { Queue } from 'bull';
import type { Redis } from 'ioredis';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { Doctor, DoctorCheck } from '../doctor/doctor';

const MARK: Record<DoctorCheck['status'], string> = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' };

@Command({
  name: 'doctor',
  description:
    'Check the deployment: PostgreSQL, Redis, queues, public webhook URLs, and per account the Kommo token, Kommo reachability and extension-map drift. Exit code 1 when a check fails',
})
export class DoctorCommand extends CommandRunner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(KOMMO_ACCOUNT_REPOSITORY) private readonly accounts: KommoAccountRepository,
    @Inject(KOMMO_USER_REPOSITORY) private readonly users: KommoUserRepository,
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    private readonly modules: ModuleRef,
  ) {
    super();
  }

  async run(_params: string[], options: { account?: number; skipKommo?: boolean; json?: boolean }): Promise<void> {
    const queues = ALL_QUEUES.map((name) => this.modules.get<Queue>(getQueueToken(name), { strict: false }));
    const doctor = new Doctor({
      config: this.config,
      dataSource: this.dataSource,
      redis: this.redis,
      queues,
      accounts: this.accounts,
      users: this.users,
      connections: this.connections,
    });
    // Each check is printed as soon as it is known (a slow Kommo does not hide the rest).
    const checks = await doctor.run({ accountId: options.account, skipKommo: options.skipKommo }, (check) => {
      if (!options.json) process.stdout.write(`${MARK[check.status]}  ${check.name}: ${check.detail}\n`);
    });
    const failed = checks.filter((check) => check.status === 'fail').length;
    const warned = checks.filter((check) => check.status === 'warn').length;
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: failed === 0, checks }, null, 2)}\n`);
    else process.stdout.write(`\n${checks.length} checks: ${checks.length - failed - warned} ok, ${warned} warnings, ${failed} failed\n`);
    if (failed > 0) process.exitCode = 1;
  }

  @Option({ flags: '--account <id>', description: 'Only this Kommo account' })
  parseAccount(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw new Error(`--account must be a Kommo account id (digits), got "${value}"`);
    return Number(value);
  }

  @Option({ flags: '--skip-kommo', description: 'Do not call Kommo (no GET /api/v4/account per account)' })
  parseSkipKommo(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'Print JSON' })
  parseJson(): boolean {
    return true;
  }
}
