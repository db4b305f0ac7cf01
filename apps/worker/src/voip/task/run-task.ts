import { Logger } from '@nestjs/common';
import {
  AccountNeedsReauthError,
  AccountNotConnectedError,
  Clock,
  DomainError,
  ParkedTaskRepository,
  Task,
  TaskName,
} from '@app/domain';
import { TaskJobData } from '@app/application';
import { Job } from 'bull';

export class InvalidTaskPayloadError extends DomainError {
  readonly code = 'TASK.INVALID_PAYLOAD';
}

/** Rebuilds the task from a job (shape checked at the edge; garbage is discarded, not retried). */
export function taskOf<N extends TaskName>(job: Job<TaskJobData>, name: N, isPayload: (payload: unknown) => boolean): Task<N> {
  const data = job.data as Partial<TaskJobData> | undefined;
  if (!data || typeof data.accountId !== 'number' || typeof data.dedupeKey !== 'string' || !isPayload(data.payload)) {
    throw new InvalidTaskPayloadError(`Job ${String(job.id)} (${job.name}) has an invalid payload`);
  }
  return { name, payload: data.payload as Task<N>['payload'], accountId: data.accountId, dedupeKey: data.dedupeKey };
}

/**
 * Runs one task and decides what a failure means:
 * - the account needs re-authorisation → the task is parked durably and the job completes (no retry loop);
 * - the account is gone (uninstalled) → logged and completed;
 * - other non-retryable domain errors → job discarded (failed set, no more attempts);
 * - anything else (network, 5xx, 429, lock timeout) → rethrown so Bull's attempts/backoff apply.
 */
export async function runTask<N extends TaskName>(
  deps: { parkedTasks: ParkedTaskRepository; clock: Clock; logger: Logger },
  job: Job<TaskJobData>,
  name: N,
  isPayload: (payload: unknown) => boolean,
  work: (task: Task<N>) => Promise<unknown>,
): Promise<void> {
  let task: Task<N>;
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
    if (error instanceof AccountNotConnectedError) {
      deps.logger.warn(`${task.name} for account ${task.accountId} skipped: the account is not connected`);
      return;
    }
    if (error instanceof DomainError && !error.retryable) {
      deps.logger.warn(`${task.name} for account ${task.accountId} failed for good: ${error.code}`);
      await job.discard();
    }
    throw error;
  }
}
