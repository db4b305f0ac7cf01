import { Inject } from '@nestjs/common';
import { TASK_QUEUE } from '@app/application';
import type { TaskQueue } from '@app/domain';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { createProgress } from './progress';
import { parseInstant, replayInbox } from './replay-inbox';

interface ReplayOptions {
  readonly account?: number;
  readonly from?: string;
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

@Command({
  name: 'tasks:replay',
  description:
    'Re-run call logging from the webhook inbox for one account and a time window [from, to). Idempotent: calls already in Kommo are not logged again',
})
export class TasksReplayCommand extends CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(TASK_QUEUE) private readonly queue: TaskQueue,
  ) {
    super();
  }

  async run(_params: string[], options: ReplayOptions): Promise<void> {
    if (options.account === undefined) throw new Error('--account <id> is required (the Kommo account id; see accounts:list)');
    if (!options.from) throw new Error('--from is required (ISO date/time like 2026-11-24T10:00:00Z, or relative like -2h)');
    const now = new Date();
    const from = parseInstant(options.from, now, '--from');
    const to = options.to ? parseInstant(options.to, now, '--to') : now;
    if (from.getTime() >= to.getTime()) throw new Error(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);

    let progress: ReturnType<typeof createProgress> | null = null;
    const report = await replayInbox({ dataSource: this.dataSource, queue: this.queue }, { accountId: options.account, from, to }, { dryRun: options.dryRun }, (done, total) => {
      progress ??= createProgress('replay', total, { quiet: options.json });
      progress.update(done);
    });
    (progress as ReturnType<typeof createProgress> | null)?.done();
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const window = `${report.from} → ${report.to}`;
    if (options.dryRun) {
      process.stdout.write(`account ${report.accountId}, ${window}: ${report.deliveries} webhook deliveries would be replayed\n`);
      return;
    }
    process.stdout.write(
      `account ${report.accountId}, ${window}: ${report.enqueued} of ${report.deliveries} deliveries queued again (run ${report.runId}); ` +
        'watch them with queues:status\n',
    );
  }

  @Option({ flags: '--account <id>', description: 'Kommo account id (required)' })
  parseAccount(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw new Error(`--account must be a Kommo account id (digits), got "${value}"`);
    return Number(value);
  }

  @Option({ flags: '--from <time>', description: 'Start of the window, inclusive: ISO date/time or relative (-2h, -30m, -7d) (required)' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <time>', description: 'End of the window, exclusive (default: now)' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'Only count the deliveries in the window' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'Print JSON' })
  parseJson(): boolean {
    return true;
  }
}
