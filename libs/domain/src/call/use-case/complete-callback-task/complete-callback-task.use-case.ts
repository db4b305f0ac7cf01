import { DistributedLock } from '../../../shared/distributed-lock.port';
import { CallRepository } from '../../port/call.repository.port';
import { CallbackTasks } from '../../port/callback-tasks.port';

export type CompleteCallbackTaskOutcome =
  | 'completed'
  | 'no_open_task'
  /** The open task is for a call missed after this one was answered: it stays open. */
  | 'task_is_newer'
  | 'not_answered'
  | 'not_found';

/**
 * An answered call (inbound or outbound) with a number closes that caller's open callback task: the
 * manager and the customer have spoken. Idempotent: a repeat finds no open task.
 */
export class CompleteCallbackTaskUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly tasks: CallbackTasks,
    private readonly lock: DistributedLock,
    private readonly options: { lockTtlMs: number; lockWaitMs: number } = { lockTtlMs: 30_000, lockWaitMs: 10_000 },
  ) {}

  async execute(command: { accountId: number; callId: string }): Promise<{ outcome: CompleteCallbackTaskOutcome; taskId?: number }> {
    const { accountId } = command;
    const call = await this.calls.findById(accountId, command.callId);
    if (!call) return { outcome: 'not_found' };
    const phone = call.customerNumber;
    const answeredAt = call.answeredAt ?? call.startedAt ?? call.endedAt;
    if (!call.isAnswered || !phone || !answeredAt) return { outcome: 'not_answered' };

    return this.lock.run(`voip-callback-${accountId}-${phone}`, { ttlMs: this.options.lockTtlMs, waitMs: this.options.lockWaitMs }, async () => {
      const open = await this.tasks.findOpenForCaller(accountId, phone);
      if (!open) return { outcome: 'no_open_task' as const };
      if (open.missedAt.getTime() >= answeredAt.getTime()) return { outcome: 'task_is_newer' as const };
      await this.tasks.complete(accountId, open.taskId, `Completed automatically: the customer was reached (call ${call.id})`);
      return { outcome: 'completed' as const, taskId: open.taskId };
    });
  }
}
