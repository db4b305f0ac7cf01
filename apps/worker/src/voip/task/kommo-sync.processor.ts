import { Inject, Logger } from '@nestjs/common';
import { Process, Processor } from '@nestjs/bull';
import { CLOCK, PARKED_TASK_REPOSITORY, QueueName, TaskJobData } from '@app/application';
import { SyncKommoUsersUseCase, TaskName } from '@app/domain';
import type { Clock, ParkedTaskRepository } from '@app/domain';
import type { Job } from 'bull';
import { runTask } from './run-task';

/** Consumer of the `kommo-sync` queue: every task name on that queue has its handler here. */
@Processor(QueueName.KommoSync)
export class KommoSyncProcessor {
  private readonly logger = new Logger('KommoSync');

  constructor(
    private readonly syncUsers: SyncKommoUsersUseCase,
    @Inject(PARKED_TASK_REPOSITORY) private readonly parkedTasks: ParkedTaskRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Process({ name: TaskName.SyncKommoUsers, concurrency: 2 })
  handleSyncUsers(job: Job<TaskJobData>): Promise<void> {
    return runTask(this.deps(), job, TaskName.SyncKommoUsers, isAccountPayload, async (task) => {
      const result = await this.syncUsers.execute({ accountId: task.payload.accountId });
      this.logger.log(`Account ${task.accountId}: ${result.users} users synced`);
    });
  }

  private deps() {
    return { parkedTasks: this.parkedTasks, clock: this.clock, logger: this.logger };
  }
}

function isAccountPayload(payload: unknown): boolean {
  const accountId = (payload as { accountId?: unknown } | null)?.accountId;
  return typeof accountId === 'number' && Number.isSafeInteger(accountId) && accountId > 0;
}
