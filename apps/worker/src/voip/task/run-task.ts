import { Logger } from '@nestjs/common';
import {
  AccountBlockedError,
  AccountNeedsReauthError,
  AccountNotConnectedError,
  CallTask,
  CallTaskName,
  Clock,
  DomainError,
  ParkedTaskRepository,
  Task,
  TaskName,
} from '@app/domain';
import { AnyTaskName, TaskJobData } from '@app/application';

/** The task type behind a task name (account tasks and call-pipeline tasks share one shape). */
export type TaskOf<N extends AnyTaskName> = N extends TaskName ? Task<N> : N extends CallTaskName ? CallTask<N> : never;
import { Job } from 'bull';

export class InvalidTaskPayloadError extends DomainError {
  readonly code = 'TASK.INVALID_PAYLOAD';
}

/** Rebuilds the task from a job (shape checked at the edge; garbage is discarded, not retried). */
export function taskOf<N extends AnyTaskName>(job: Job<TaskJobData>, name: N, isPayload: (payload: unknown) => boolean): TaskOf<N> {
  const data = job.data as Partial<TaskJobData> | undefined;
  if (!data || typeof data.accountId !== 'number' || typeof data.dedupeKey !== 'string' || !isPayload(data.payload)) {
    throw new InvalidTaskPayloadError(`Job ${String(job.id)} (${job.name}) has an invalid payload`);
  }
  return { name, payload: data.payload, accountId: data.accountId, dedupeKey: data.dedupeKey } as TaskOf<N>;
}

/**
 * Runs one task and decides what a failure means:
 * - the account needs re-authorisation → the task is parked durably and the job completes (no retry loop);
 * - the account is not connected (uninstalled) → the task is parked too: installing again resumes it;
 * - other non-retryable domain errors → job discarded (failed set, no more attempts);
 * - anything else (network, 5xx, 429, lock timeout) → rethrown so Bull's attempts/backoff apply.
 */
export async function runTask<N extends AnyTaskName>(
  deps: {
    parkedTasks: ParkedTaskRepository;
    clock: Clock;
    logger: Logger;
    /** Confirms that a 403 from Kommo is its account-wide block (then the task is parked). */
    confirmBlocked?: (accountId: number, error: unknown) => Promise<boolean>;
  },
  job: Job<TaskJobData>,
  name: N,
  isPayload: (payload: unknown) => boolean,
  work: (task: TaskOf<N>) => Promise<unknown>,
): Promise<void> {
  let task: TaskOf<N>;
  try {
    task = taskOf(job, name, isPayload);
  } catch (error) {
    await job.discard();
    throw error;
  }
  try {
    await work(task);
  } catch (error) {
    if (error instanceof AccountNeedsReauthError) {
      await deps.parkedTasks.park(task, error.code, deps.clock.now());
      deps.logger.warn(`${task.name} for account ${task.accountId} parked: the account needs re-authorisation`);
      return;
    }
    if (error instanceof AccountBlockedError || (deps.confirmBlocked && (await deps.confirmBlocked(task.accountId, error)))) {
      await deps.parkedTasks.park(task, 'KOMMO.ACCOUNT_BLOCKED', deps.clock.now());
      deps.logger.warn(`${task.name} for account ${task.accountId} parked: Kommo blocked the account`);
      return;
    }
    if (error instanceof AccountNotConnectedError) {
      // Uninstalled (or never installed): keep the work; installing the integration again resumes it.
      await deps.parkedTasks.park(task, error.code, deps.clock.now());
      deps.logger.warn(`${task.name} for account ${task.accountId} parked: the account is not connected`);
      return;
    }
    if (error instanceof DomainError && !error.retryable) {
      deps.logger.warn(`${task.name} for account ${task.accountId} failed for good: ${error.code}`);
      await job.discard();
    }
    throw error;
  }
}
