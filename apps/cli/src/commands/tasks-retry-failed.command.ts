import { ALL_QUEUES, QueueName } from '@app/application';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { Command, CommandRunner, Option } from 'nest-commander';
import { retryFailedJobs } from './retry-failed-jobs';

interface RetryOptions {
  readonly queue?: string;
  readonly account?: number;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

@Command({
  name: 'tasks:retry-failed',
  description: 'Retry jobs whose attempts were exhausted (all queues, or one queue / one account)',
})
export class TasksRetryFailedCommand extends CommandRunner {
  constructor(private readonly modules: ModuleRef) {
    super();
  }

  async run(_params: string[], options: RetryOptions): Promise<void> {
    const names = options.queue ? [options.queue as QueueName] : [...ALL_QUEUES];
    const reports = [];
    for (const name of names) {
      const queue = this.modules.get<Queue>(getQueueToken(name), { strict: false });
      const report = await retryFailedJobs(queue, { accountId: options.account, dryRun: options.dryRun }, (done, total) => {
        if (!options.json && process.stderr.isTTY) process.stderr.write(`\r${name}: ${done}/${total} failed jobs checked`);
      });
      if (!options.json && process.stderr.isTTY) process.stderr.write('\n');
      reports.push(report);
    }
    if (options.json) {
      process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      return;
    }
    for (const report of reports) {
      const verb = options.dryRun ? 'would retry' : 'retried';
      process.stdout.write(`${report.queue}: ${report.failed} failed, ${verb} ${options.dryRun ? report.jobs.length : report.retried}\n`);
      for (const job of report.jobs) process.stdout.write(`  ${job.id}  ${job.name}  account ${job.accountId ?? '-'}  ${job.reason}\n`);
    }
  }

  @Option({ flags: '--queue <name>', description: `Only this queue (${ALL_QUEUES.join(', ')})` })
  parseQueue(value: string): string {
    if (!(ALL_QUEUES as readonly string[]).includes(value)) throw new Error(`Unknown queue "${value}". Queues: ${ALL_QUEUES.join(', ')}`);
    return value;
  }

  @Option({ flags: '--account <id>', description: 'Only jobs of this Kommo account id' })
  parseAccount(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw new Error(`--account must be a Kommo account id (digits), got "${value}"`);
    return Number(value);
  }

  @Option({ flags: '--dry-run', description: 'Only list the jobs that would be retried' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--json', description: 'Print JSON' })
  parseJson(): boolean {
    return true;
  }
}
