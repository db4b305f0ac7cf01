import { Task } from './task';

/**
 * Work of an account that cannot run now (its Kommo grant needs re-authorisation) is parked here,
 * durably, and re-enqueued when the account is connected again.
 */
export interface ParkedTaskRepository {
  park(task: Task, reason: string, at: Date): Promise<void>;
  listForAccount(accountId: number): Promise<Task[]>;
  remove(accountId: number, tasks: readonly Task[]): Promise<void>;
  countForAccount(accountId: number): Promise<number>;
}
