import { E164, OpenCallbackTask } from '@app/domain';

export interface CallbackTaskRecord {
  readonly phone: E164;
  /** Kommo's task id. */
  readonly taskId: number;
  readonly missedCallId: string;
  readonly missedAt: Date;
}

/**
 * Our local record of the callback tasks we created in Kommo (composed with the Kommo HTTP side into the
 * domain's `CallbackTasks`). At most one open task per (account, phone), enforced by the database.
 */
export interface CallbackTaskRecords {
  findOpen(accountId: number, phone: E164): Promise<OpenCallbackTask | null>;
  /**
   * Records a task just created in Kommo. false: another task is already open for this phone (a lost race;
   * the caller should complete or drop the task it made). Recording the same task id again answers true.
   */
  recordCreated(accountId: number, task: CallbackTaskRecord): Promise<boolean>;
  /** Marks the task completed (idempotent; unknown ids are ignored). Frees the phone for a new task. */
  markCompleted(accountId: number, taskId: number, at: Date): Promise<void>;
}
