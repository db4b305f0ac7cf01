import { KommoEntityRef, KommoNoteRef } from '../../kommo-call';

export interface NewFollowUpTask {
  readonly typeId: number;
  readonly text: string;
  readonly completeTill: Date;
  readonly responsibleUserId: number;
  /** The card the call is logged on; null: a free task. */
  readonly entity: KommoEntityRef | null;
}

/**
 * The Kommo writes of the call-result modal besides the call note itself (kommo-api.md §5, §8). Kommo creates
 * tasks without any idempotency key, so a create whose outcome is unknown is read back (`findSame`) first.
 */
export interface CallResultWrites {
  /**
   * Our former call note on a card the manager did not choose: turned into a plain note saying where the
   * call went (Kommo's API has no note DELETE), so the call shows once. Idempotent.
   */
  retireCallNote(accountId: number, note: KommoNoteRef, movedTo: KommoEntityRef): Promise<void>;
  createTask(accountId: number, task: NewFollowUpTask): Promise<{ readonly taskId: number }>;
  /** An open task identical to `task` (same card, type, text, due time, responsible), or null. */
  findSameTask(accountId: number, task: NewFollowUpTask): Promise<{ readonly taskId: number } | null>;
}
