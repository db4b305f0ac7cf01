import { Task, TaskName, TaskQueue } from '@app/domain';
import { DataSource } from 'typeorm';

export interface ReplayWindow {
  readonly accountId: number;
  readonly from: Date;
  readonly to: Date;
}

export interface ReplayReport {
  readonly accountId: number;
  readonly from: string;
  readonly to: string;
  /** Inbox rows (deliveries) in the window. */
  readonly deliveries: number;
  /** Jobs enqueued (0 on a dry run). */
  readonly enqueued: number;
  readonly runId: string;
}

const PAGE = 500;

/**
 * Re-runs logging from the durable inbox: every delivery of one account received in [from, to) is handed to
 * the workers again, as the relay would. A fresh job id per run (the original job may still sit in Redis as
 * completed) makes Bull run it; nothing is logged twice because every step after it is idempotent:
 * SaveCallEvent ignores a delivery it already applied, AddCall's job id is the call and the call ledger
 * (pending → sending → sent) refuses a second POST /api/v4/calls for a call already sent.
 */
export async function replayInbox(
  deps: { dataSource: DataSource; queue: TaskQueue },
  window: ReplayWindow,
  options: { dryRun?: boolean; runId?: string } = {},
  progress: (done: number, total: number) => void = () => undefined,
): Promise<ReplayReport> {
  const runId = options.runId ?? `replay${Date.now().toString(36)}`;
  const params = [window.accountId, window.from, window.to];
  const [{ count }] = await deps.dataSource.query<{ count: string }[]>(
    'SELECT count(*) AS count FROM call_webhook_inbox WHERE account_id = $1 AND received_at >= $2 AND received_at < $3',
    params,
  );
  const total = Number(count);
  let enqueued = 0;
  let seen = 0;
  // Keyset pagination on (received_at, id): rows arriving meanwhile neither shift nor repeat pages.
  let after: { receivedAt: Date; id: string } | null = null;
  while (!options.dryRun && seen < total) {
    const rows: { id: string; received_at: Date }[] = await deps.dataSource.query(
      `SELECT id, received_at FROM call_webhook_inbox
        WHERE account_id = $1 AND received_at >= $2 AND received_at < $3
          AND ($4::timestamptz IS NULL OR (received_at, id) > ($4::timestamptz, $5::bigint))
        ORDER BY received_at, id LIMIT ${PAGE}`,
      [...params, after?.receivedAt ?? null, after?.id ?? '0'],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      await deps.queue.enqueue(replayTask(window.accountId, String(row.id), runId));
      enqueued += 1;
      seen += 1;
      progress(seen, total);
    }
    const last = rows[rows.length - 1];
    after = { receivedAt: last.received_at, id: String(last.id) };
  }
  return { accountId: window.accountId, from: window.from.toISOString(), to: window.to.toISOString(), deliveries: total, enqueued, runId };
}

/** The relay's task for the row, under a job id of this replay run. */
export function replayTask(accountId: number, inboxId: string, runId: string): Task<TaskName.ProcessCallWebhook> {
  return { name: TaskName.ProcessCallWebhook, payload: { inboxId }, dedupeKey: `inbox-${inboxId}-${runId}`, accountId };
}

/** `2026-11-24`, `2026-11-24T10:00:00Z`, or a relative `-2h` / `-30m` / `-7d` (before now). */
export function parseInstant(value: string, now: Date, flag: string): Date {
  const relative = /^-(\d{1,6})([smhd])$/.exec(value.trim());
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    throw new Error(`${flag} must be an ISO date/time (2026-11-24, 2026-11-24T10:00:00Z) or relative like -2h, got "${value}"`);
  }
  const date = new Date(value.trim());
  if (Number.isNaN(date.getTime())) throw new Error(`${flag} is not a valid date: "${value}"`);
  return date;
}
