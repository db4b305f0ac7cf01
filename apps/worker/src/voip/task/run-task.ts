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
    const parkReason = await parkingReasonOf(error, task.accountId, deps.confirmBlocked);
    if (parkReason) {
      await deps.parkedTasks.park(task, parkReason, deps.clock.now());
      deps.logger.warn(`${task.name} for account ${task.accountId} parked (${parkReason}): resumed when the account is authorised again`);
      return;
    }
    if (error instanceof DomainError && !error.retryable) {
      deps.logger.warn(`${task.name} for account ${task.accountId} failed for good: ${error.code}`);
      await job.discard();
    }
    throw error;
  }
}

/**
 * Why work of an account waits instead of running or failing: it needs re-authorisation, it is not connected
 * (uninstalled), or Kommo blocked it (403 on everything). All three end when an admin authorises again.
 */
async function parkingReasonOf(
  error: unknown,
  accountId: number,
  confirmBlocked: ((accountId: number, error: unknown) => Promise<boolean>) | undefined,
): Promise<string | null> {
  if (error instanceof AccountNeedsReauthError || error instanceof AccountNotConnectedError || error instanceof AccountBlockedError) return error.code;
  if (confirmBlocked && (await confirmBlocked(accountId, error))) return new AccountBlockedError(accountId).code;
  return null;
}
