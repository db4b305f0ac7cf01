import type Bull from 'bull';
import type { Queue } from 'bull';

export interface QueueStatus {
  readonly queue: string;
  readonly paused: boolean;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
  /** Age of the oldest waiting job in ms (null: none waiting). */
  readonly oldestWaitingMs: number | null;
  /** Waiting + delayed + active + failed jobs per Kommo account (from the first `sample` jobs of each state). */
  readonly perAccount: Record<string, { waiting: number; active: number; delayed: number; failed: number }>;
}

const STATES = ['waiting', 'paused', 'active', 'delayed', 'failed'] as const;

/** One queue's state for `queues:status`. Per-account counts read at most `sample` jobs per state. */
export async function queueStatus(queue: Queue, now: number, sample = 1000): Promise<QueueStatus> {
  // A paused queue keeps its waiting jobs in Bull's "paused" list: they are still waiting for the operator.
  const [counts, paused, oldestWaiting, oldestPaused] = await Promise.all([
    queue.getJobCounts() as Promise<Bull.JobCounts & { paused?: number }>,
    queue.isPaused(),
    queue.getJobs(['waiting'], 0, 0, true),
    queue.getJobs(['paused'], 0, 0, true),
  ]);
  const oldest = [...oldestWaiting, ...oldestPaused].filter(Boolean);
  const perAccount: QueueStatus['perAccount'] = {};
  for (const state of STATES) {
    const jobs = await queue.getJobs([state], 0, sample - 1, true);
    for (const job of jobs) {
      if (!job) continue;
      const accountId = (job.data as { accountId?: unknown } | undefined)?.accountId;
      const key = typeof accountId === 'number' ? String(accountId) : '-';
      perAccount[key] ??= { waiting: 0, active: 0, delayed: 0, failed: 0 };
      perAccount[key][state === 'paused' ? 'waiting' : state] += 1;
    }
  }
  return {
    queue: queue.name,
    paused,
    waiting: counts.waiting + (counts.paused ?? 0),
    active: counts.active,
    delayed: counts.delayed,
    failed: counts.failed,
    completed: counts.completed,
    oldestWaitingMs: oldest.length > 0 ? Math.max(0, now - Math.min(...oldest.map((job) => job.timestamp))) : null,
    perAccount,
  };
}
