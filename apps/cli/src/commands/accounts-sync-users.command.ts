import { Inject } from '@nestjs/common';
import { CLOCK, KOMMO_ACCOUNT_REPOSITORY, TASK_QUEUE } from '@app/application';
import { KommoAccountStatus, syncKommoUsersTask } from '@app/domain';
import type { Clock, KommoAccountRepository, TaskQueue } from '@app/domain';
import { Command, CommandRunner, Option } from 'nest-commander';

export interface SyncUsersReport {
  readonly queued: number[];
  readonly skipped: { readonly id: number; readonly status: string }[];
}

/** Queues a user sync for one account or every connected one (the worker runs it). */
export async function queueUserSyncs(
  accounts: KommoAccountRepository,
  queue: TaskQueue,
  reason: string,
  accountId?: number,
): Promise<SyncUsersReport> {
  const all = accountId === undefined ? await accounts.findAll() : [await accounts.findById(accountId)].filter((account) => account !== null);
  if (accountId !== undefined && all.length === 0) throw new Error(`No Kommo account ${accountId}: see accounts:list`);
  const queued: number[] = [];
  const skipped: { id: number; status: string }[] = [];
  for (const account of all) {
    if (account.status !== KommoAccountStatus.Connected) {
      skipped.push({ id: account.id, status: account.status });
      continue;
    }
    await queue.enqueue(syncKommoUsersTask(account.id, reason));
    queued.push(account.id);
  }
  return { queued, skipped };
}

@Command({ name: 'accounts:sync-users', description: "Queue a sync of Kommo's users for one account or every connected account" })
export class AccountsSyncUsersCommand extends CommandRunner {
  constructor(
    @Inject(KOMMO_ACCOUNT_REPOSITORY) private readonly accounts: KommoAccountRepository,
    @Inject(TASK_QUEUE) private readonly queue: TaskQueue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  async run(_params: string[], options: { account?: number }): Promise<void> {
    const report = await queueUserSyncs(this.accounts, this.queue, `cli-${this.clock.now().getTime()}`, options.account);
    for (const id of report.queued) process.stdout.write(`account ${id}: user sync queued\n`);
    for (const { id, status } of report.skipped) process.stdout.write(`account ${id}: skipped (${status}: authorise the integration again first)\n`);
    if (report.queued.length + report.skipped.length === 0) process.stdout.write('No Kommo accounts yet.\n');
  }

  @Option({ flags: '--account <id>', description: 'Only this Kommo account id' })
  parseAccount(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw new Error(`--account must be a Kommo account id (digits), got "${value}"`);
    return Number(value);
  }
}
