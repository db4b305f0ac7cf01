import { CallbackTasks, Clock, E164, NewCallbackTask, OpenCallbackTask } from '@app/domain';
import { KommoTasksClient } from '@app/kommo';
import { CallbackTaskRecords } from '@app/persistence';

/**
 * Callback tasks = Kommo's tasks (the truth a manager sees and closes) + our record of which task we
 * opened for which caller (one open per caller). A task the manager already closed in Kommo no
 * longer counts as open.
 */
export class KommoCallbackTasks implements CallbackTasks {
  constructor(
    private readonly kommo: KommoTasksClient,
    private readonly records: CallbackTaskRecords,
    private readonly clock: Clock,
  ) {}

  async findOpenForCaller(accountId: number, phone: E164): Promise<OpenCallbackTask | null> {
    const open = await this.records.findOpen(accountId, phone);
    if (!open) return null;
    if (await this.kommo.isOpen(accountId, open.taskId)) return open;
    await this.records.markCompleted(accountId, open.taskId, this.clock.now());
    return null;
  }

  async create(accountId: number, task: NewCallbackTask): Promise<{ readonly taskId: number }> {
    const { taskId } = await this.kommo.create(accountId, {
      text: task.text,
      responsibleUserId: task.responsibleUserId,
      completeTill: task.completeTill,
      entity: task.entity,
    });
    await this.records.recordCreated(accountId, { phone: task.phone, taskId, missedCallId: task.missedCallId, missedAt: task.missedAt });
    return { taskId };
  }

  async complete(accountId: number, taskId: number, resultText: string): Promise<void> {
    await this.kommo.complete(accountId, taskId, resultText);
    await this.records.markCompleted(accountId, taskId, this.clock.now());
  }
}
