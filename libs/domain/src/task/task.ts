/**
 * The queue contract. Names are persisted in Redis: never rename one while jobs with it may be queued.
 */
export enum TaskName {
  SyncKommoUsers = 'kommo.sync-users',
  /** Spec node Console/Worker ProcessCallWebhookWorker: interpret one inbox row. */
  ProcessCallWebhook = 'voip.process-call-webhook',
}

export interface TaskPayloads {
  [TaskName.SyncKommoUsers]: { accountId: number };
  [TaskName.ProcessCallWebhook]: { inboxId: string };
}

export interface Task<N extends TaskName = TaskName> {
  readonly name: N;
  readonly payload: TaskPayloads[N];
  /** Everything that makes this piece of work distinct; the job id is derived from it. */
  readonly dedupeKey: string;
  /** The Kommo account the work is for (used to park work of accounts that need re-authorisation). */
  readonly accountId: number;
}

export function syncKommoUsersTask(accountId: number, reason: string): Task<TaskName.SyncKommoUsers> {
  return {
    name: TaskName.SyncKommoUsers,
    payload: { accountId },
    dedupeKey: `${accountId}-${reason}`,
    accountId,
  };
}

/** One job per inbox row: the row id is the dedupe key, so the relay can re-enqueue safely. */
export function processCallWebhookTask(accountId: number, inboxId: string): Task<TaskName.ProcessCallWebhook> {
  return { name: TaskName.ProcessCallWebhook, payload: { inboxId }, dedupeKey: `inbox-${inboxId}`, accountId };
}
