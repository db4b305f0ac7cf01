import { E164, OpenCallbackTask } from '@app/domain';
import { DataSource, IsNull, Repository } from 'typeorm';
import { CallbackTaskRecord, CallbackTaskRecords } from './callback-task-records';
import { CallbackTaskOrmEntity } from './entities/callback-task.orm-entity';

/** `callback_task`; a partial unique index (account_id, phone) WHERE completed_at IS NULL keeps one open per caller. */
export class TypeOrmCallbackTaskRecords implements CallbackTaskRecords {
  private readonly rows: Repository<CallbackTaskOrmEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(CallbackTaskOrmEntity);
  }

  async findOpen(accountId: number, phone: E164): Promise<OpenCallbackTask | null> {
    const row = await this.rows.findOneBy({ accountId, phone, completedAt: IsNull() });
    return row ? { taskId: row.kommoTaskId, missedCallId: row.missedCallId, missedAt: row.missedAt } : null;
  }

  async recordCreated(accountId: number, task: CallbackTaskRecord): Promise<boolean> {
    const inserted = await this.dataSource.query<{ kommo_task_id: string }[]>(
      `INSERT INTO callback_task (account_id, kommo_task_id, phone, missed_call_id, missed_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING
       RETURNING kommo_task_id`,
      [accountId, task.taskId, task.phone, task.missedCallId, task.missedAt],
    );
    if (inserted.length > 0) return true;
    // Either another open task holds the phone, or this very task was recorded before (a retry).
    return this.rows.existsBy({ accountId, kommoTaskId: task.taskId, phone: task.phone });
  }

  async markCompleted(accountId: number, taskId: number, at: Date): Promise<void> {
    await this.rows.update({ accountId, kommoTaskId: taskId, completedAt: IsNull() }, { completedAt: at });
  }
}
