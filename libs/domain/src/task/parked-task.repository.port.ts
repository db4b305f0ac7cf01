import { AnyTask } from './task-queue.port';

/**
 * Work of an account that cannot run now (its Kommo grant needs re-authorisation) is parked here,
 * durably, and re-enqueued when the account is connected again.
 */
export interface ParkedTaskRepository {
  park(task: AnyTask, reason: string, at: Date): Promise<void>;
  listForAccount(accountId: number): Promise<AnyTask[]>;
  remove(accountId: number, tasks: readonly AnyTask[]): Promise<void>;
  countForAccount(accountId: number): Promise<number>;
}
