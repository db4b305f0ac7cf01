import { ParkedTaskRepository, Task } from '../../src';

interface ParkedRow {
  readonly task: Task;
  readonly reason: string;
  readonly at: Date;
}

/** Parking is idempotent per (account, task name, dedupe key), like the unique index. */
export class InMemoryParkedTaskRepository implements ParkedTaskRepository {
  private rows: ParkedRow[] = [];

  async park(task: Task, reason: string, at: Date): Promise<void> {
    if (this.rows.some((row) => sameTask(row.task, task))) return;
    this.rows.push({ task: { ...task }, reason, at: new Date(at.getTime()) });
  }

  async listForAccount(accountId: number): Promise<Task[]> {
    return this.rows.filter((row) => row.task.accountId === accountId).map((row) => ({ ...row.task }));
  }

  async remove(accountId: number, tasks: readonly Task[]): Promise<void> {
    this.rows = this.rows.filter(
      (row) => row.task.accountId !== accountId || !tasks.some((task) => sameTask(row.task, { ...task, accountId })),
    );
  }

  async countForAccount(accountId: number): Promise<number> {
    return this.rows.filter((row) => row.task.accountId === accountId).length;
  }
}

function sameTask(a: Task, b: Task): boolean {
  return a.accountId === b.accountId && a.name === b.name && a.dedupeKey === b.dedupeKey;
}
