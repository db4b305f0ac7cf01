import { E164 } from '../e164';
import { KommoEntityRef } from '../kommo-call';

export interface OpenCallbackTask {
  readonly taskId: number;
  /** The missed call the task was made for (our call id) and when it ended. */
  readonly missedCallId: string;
  readonly missedAt: Date;
}

export interface NewCallbackTask {
  readonly phone: E164;
  readonly missedCallId: string;
  readonly missedAt: Date;
  readonly responsibleUserId: number | null;
  readonly completeTill: Date;
  readonly text: string;
  /** The entity the missed call was logged on (task_type_id 1 "follow-up" on it); null: a free task. */
  readonly entity: KommoEntityRef | null;
}

/** Callback tasks in Kommo (kommo-api.md §8) for missed calls: at most one open per caller. */
export interface CallbackTasks {
  /** The open callback task we made for this number (our own records, checked against Kommo). */
  findOpenForCaller(accountId: number, phone: E164): Promise<OpenCallbackTask | null>;
  create(accountId: number, task: NewCallbackTask): Promise<{ readonly taskId: number }>;
  /** PATCH is_completed = true with a result text. Idempotent. */
  complete(accountId: number, taskId: number, resultText: string): Promise<void>;
}
