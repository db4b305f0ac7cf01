import type { Queue } from 'bull';

export interface RetryFailedOptions {
  /** Only jobs of this Kommo account. */
  readonly accountId?: number;
  /** List what would be retried, change nothing. */
  readonly dryRun?: boolean;
}

export interface RetryFailedReport {
  readonly queue: string;
  readonly failed: number;
  readonly retried: number;
  readonly jobs: { readonly id: string; readonly name: string; readonly accountId: number | null; readonly reason: string }[];
}

const PAGE = 200;

/**
 * Moves failed jobs (attempts exhausted) back to waiting, optionally for one account. Job ids are business
 * keys, so a retried job is the same work, and the pipeline's ledger keeps a retried call from doubling.
 */
export async function retryFailedJobs(
  queue: Queue,
  options: RetryFailedOptions,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<RetryFailedReport> {
  const total = await queue.getFailedCount();
  const jobs: RetryFailedReport['jobs'][number][] = [];
  let retried = 0;
  let seen = 0;
  // Retrying removes jobs from the failed set, so without --dry-run the first page is read again.
  for (let start = 0; seen < total; ) {
    const page = await queue.getFailed(start, start + PAGE - 1);
    if (page.length === 0) break;
    let movedHere = 0;
    for (const job of page) {
      seen += 1;
      const accountId = typeof (job.data as { accountId?: unknown })?.accountId === 'number' ? (job.data as { accountId: number }).accountId : null;
      if (options.accountId !== undefined && accountId !== options.accountId) continue;
      jobs.push({ id: String(job.id), name: job.name, accountId, reason: (job.failedReason ?? '').slice(0, 200) });
      if (!options.dryRun) {
        await job.retry();
        retried += 1;
        movedHere += 1;
      }
      progress(seen, total);
    }
    start += page.length - movedHere;
  }
  return { queue: queue.name, failed: total, retried, jobs };
}
