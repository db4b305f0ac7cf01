import { Inject } from '@nestjs/common';
import { KOMMO_ACCOUNT_REPOSITORY, PARKED_TASK_REPOSITORY } from '@app/application';
import type { KommoAccountRepository, ParkedTaskRepository } from '@app/domain';
import { Command, CommandRunner, Option } from 'nest-commander';

export interface AccountRow {
  readonly id: number;
  readonly subdomain: string;
  readonly status: string;
  readonly tokenExpiresAt: string | null;
  readonly tokenExpiresIn: string;
  readonly parkedTasks: number;
  readonly reason: string;
}

@Command({ name: 'accounts:list', description: 'List connected Kommo accounts: status, token expiry, parked work' })
export class AccountsListCommand extends CommandRunner {
  constructor(
    @Inject(KOMMO_ACCOUNT_REPOSITORY) private readonly accounts: KommoAccountRepository,
    @Inject(PARKED_TASK_REPOSITORY) private readonly parkedTasks: ParkedTaskRepository,
  ) {
    super();
  }

  async run(_params: string[], options: { json?: boolean }): Promise<void> {
    const now = Date.now();
    const rows: AccountRow[] = [];
    for (const account of await this.accounts.findAll()) {
      const expiresAt = account.tokens?.expiresAt ?? null;
      rows.push({
        id: account.id,
        subdomain: account.subdomain,
        status: account.status,
        tokenExpiresAt: expiresAt?.toISOString() ?? null,
        tokenExpiresIn: expiresAt ? humanDuration(expiresAt.getTime() - now) : '-',
        parkedTasks: await this.parkedTasks.countForAccount(account.id),
        reason: account.statusReason ?? '',
      });
    }
    if (options.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write('No Kommo accounts yet. Install the integration from Kommo (or open /kommo/install).\n');
      return;
    }
    process.stdout.write(table(rows));
  }

  @Option({ flags: '--json', description: 'Print JSON instead of a table' })
  parseJson(): boolean {
    return true;
  }
}

export function humanDuration(ms: number): string {
  if (ms <= 0) return 'expired';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '<1m';
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ${minutes % 60}m` : `${Math.floor(hours / 24)}d`;
}

function table(rows: readonly AccountRow[]): string {
  const headers = ['ID', 'SUBDOMAIN', 'STATUS', 'TOKEN EXPIRES IN', 'PARKED', 'REASON'];
  const cells = rows.map((row) => [String(row.id), row.subdomain, row.status, row.tokenExpiresIn, String(row.parkedTasks), row.reason]);
  const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((cell) => cell[column].length)));
  const line = (values: readonly string[]) => values.map((value, column) => value.padEnd(widths[column])).join('  ').trimEnd();
  return `${[line(headers), ...cells.map(line)].join('\n')}\n`;
}
