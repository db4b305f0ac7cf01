import { JobOptions } from 'bull';

/** Our backoff strategy's name; persisted in every job's options (never rename it while jobs may be queued). */
export const TASK_BACKOFF = 'task-backoff';
const BACKOFF_BASE_MS = 2_000;

const BACKOFF_CAP_MS = 60_000;

/**
 * Exponential backoff ((2^n − 1) × 2 s: 2, 6, 14, 30 s, then every 60 s), never shorter than the `retryAfterMs`
 * an error carries. Found by the fault suite: with Bull's plain exponential and 6 attempts (≈ 2 min in all)
 * - a call whose Kommo write was claimed by a worker that then died (SIGKILL mid POST) spent all its attempts
 *   inside the claim's lease ("in flight elsewhere", 120 s) and failed for good (F10);
 * - under 20 % Kommo 5xx a call could draw six failures in a row and fail for good (F6).
 * With the cap and 12 attempts a call keeps trying for about 8 minutes, at most a minute apart.
 */
export function taskBackoffDelay(attemptsMade: number, error: unknown): number {
  const exponential = Math.min(BACKOFF_CAP_MS, Math.round((2 ** attemptsMade - 1) * BACKOFF_BASE_MS));
  const retryAfterMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) ? Math.max(exponential, Math.min(retryAfterMs, 10 * 60_000)) : exponential;
}

/** Attempts with exponential backoff (see taskBackoffDelay); bounded retention so Redis never grows without limit. */
export const DEFAULT_TASK_OPTIONS: JobOptions = {
  attempts: 12,
  backoff: { type: TASK_BACKOFF },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Job ids are business keys (`<task>-<dedupe key>`), with '-' separators and never ':'. */
export function jobIdFor(taskName: string, dedupeKey: string): string {
  return `${taskName}-${dedupeKey}`.replace(/:/g, '-');
}
