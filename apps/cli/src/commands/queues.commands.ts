import { ALL_QUEUES } from '@app/application';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { Command, CommandRunner, Option } from 'nest-commander';
import { humanDuration } from './accounts-list.command';
import { queueStatus } from './queue-status';

function queueOption(value: string): string {
  if (!(ALL_QUEUES as readonly string[]).includes(value)) throw new Error(`Unknown queue "${value}". Queues: ${ALL_QUEUES.join(', ')}`);
  return value;
}

function queuesOf(modules: ModuleRef, name: string | undefined): Queue[] {
  return (name ? [name] : [...ALL_QUEUES]).map((queue) => modules.get<Queue>(getQueueToken(queue), { strict: false }));
}

@Command({ name: 'queues:status', description: 'Jobs per queue and per account: waiting, active, delayed, failed, oldest waiting age' })
export class QueuesStatusCommand extends CommandRunner {
  constructor(private readonly modules: ModuleRef) {
    super();
  }

  async run(_params: string[], options: { queue?: string; json?: boolean }): Promise<void> {
    const statuses = [];
    for (const queue of queuesOf(this.modules, options.queue)) statuses.push(await queueStatus(queue, Date.now()));
    if (options.json) {
      process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
      return;
    }
    for (const status of statuses) {
      const oldest = status.oldestWaitingMs === null ? '-' : humanDuration(status.oldestWaitingMs);
      process.stdout.write(
        `${status.queue}${status.paused ? ' (PAUSED)' : ''}: waiting ${status.waiting}, active ${status.active}, delayed ${status.delayed}, failed ${status.failed}, completed ${status.completed}, oldest waiting ${oldest}\n`,
      );
      for (const [account, counts] of Object.entries(status.perAccount)) {
        process.stdout.write(`  account ${account}: waiting ${counts.waiting}, active ${counts.active}, delayed ${counts.delayed}, failed ${counts.failed}\n`);
      }
    }
  }

  @Option({ flags: '--queue <name>', description: `Only this queue (${ALL_QUEUES.join(', ')})` })
  parseQueue(value: string): string {
    return queueOption(value);
  }

  @Option({ flags: '--json', description: 'Print JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'queues:pause', description: 'Pause processing (all workers) of every queue or one queue; jobs keep arriving' })
export class QueuesPauseCommand extends CommandRunner {
  constructor(private readonly modules: ModuleRef) {
    super();
  }

  async run(_params: string[], options: { queue?: string }): Promise<void> {
    for (const queue of queuesOf(this.modules, options.queue)) {
      await queue.pause(false, true);
      process.stdout.write(`${queue.name}: paused\n`);
    }
  }

  @Option({ flags: '--queue <name>', description: `Only this queue (${ALL_QUEUES.join(', ')})` })
  parseQueue(value: string): string {
    return queueOption(value);
  }
}

@Command({ name: 'queues:resume', description: 'Resume processing of every queue or one queue' })
export class QueuesResumeCommand extends CommandRunner {
  constructor(private readonly modules: ModuleRef) {
    super();
  }

  async run(_params: string[], options: { queue?: string }): Promise<void> {
    for (const queue of queuesOf(this.modules, options.queue)) {
      await queue.resume(false);
      process.stdout.write(`${queue.name}: resumed\n`);
    }
  }

  @Option({ flags: '--queue <name>', description: `Only this queue (${ALL_QUEUES.join(', ')})` })
  parseQueue(value: string): string {
    return queueOption(value);
  }
}
