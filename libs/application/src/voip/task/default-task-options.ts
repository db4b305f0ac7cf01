import { JobOptions } from 'bull';

/** Attempts with exponential backoff; bounded retention so Redis never grows without limit. */
export const DEFAULT_TASK_OPTIONS: JobOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Job ids are business keys (`<task>-<dedupe key>`), with '-' separators and never ':'. */
export function jobIdFor(taskName: string, dedupeKey: string): string {
  return `${taskName}-${dedupeKey}`.replace(/:/g, '-');
}
