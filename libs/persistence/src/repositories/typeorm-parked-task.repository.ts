import { ParkedTaskRepository, Task, TaskName } from '@app/domain';
import { DataSource, Repository } from 'typeorm';
import { ParkedTaskOrmEntity } from '../entities/parked-task.orm-entity';

export class TypeOrmParkedTaskRepository implements ParkedTaskRepository {
  private readonly rows: Repository<ParkedTaskOrmEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(ParkedTaskOrmEntity);
  }

  async park(task: Task, reason: string, at: Date): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .insert()
      .values({
        accountId: task.accountId,
        taskName: task.name,
        dedupeKey: task.dedupeKey,
        payload: task.payload,
        reason,
        parkedAt: at,
      })
      .orIgnore()
      .execute();
  }

  async listForAccount(accountId: number): Promise<Task[]> {
    const rows = await this.rows.find({ where: { accountId }, order: { id: 'ASC' } });
    return rows.map((row) => ({
      name: row.taskName as TaskName,
      payload: row.payload as Task['payload'],
      dedupeKey: row.dedupeKey,
      accountId: row.accountId,
    }));
  }

  async remove(accountId: number, tasks: readonly Task[]): Promise<void> {
    for (const task of tasks) {
      await this.rows.delete({ accountId, taskName: task.name, dedupeKey: task.dedupeKey });
    }
  }

  countForAccount(accountId: number): Promise<number> {
    return this.rows.countBy({ accountId });
  }
}
