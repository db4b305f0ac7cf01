import { CallDirection } from '../call-event';
import { E164 } from '../e164';
import { KommoCallFields, KommoEntityRef, KommoNoteRef } from '../kommo-call';

/** One call as Kommo's /calls (and a call note) should show it. */
export interface KommoCallRecord {
  /** Our call id: Kommo `uniq` (and `request_id` to match batch results). */
  readonly uniq: string;
  readonly direction: CallDirection;
  /** The customer's number (Kommo searches entities by its last 10 digits). */
  readonly phone: E164;
  /** `source`: the provider name. */
  readonly source: string;
  readonly fields: KommoCallFields;
  /** Our signed, revocable recording URL (null: no recording, or recordings disabled). */
  readonly recordingLink: string | null;
  /** `responsible_user_id`, `created_by` and `call_responsible` (null: leave Kommo's default). */
  readonly responsibleUserId: number | null;
  /** `created_at`: when the call started. */
  readonly startedAt: Date;
}

export type KommoCallLogResult =
  | { readonly kind: 'logged'; readonly note: KommoNoteRef }
  /** Kommo knows no contact/company with this number ("Entity not found"): nothing was stored. */
  | { readonly kind: 'entity_not_found' }
  /** Kommo refused this item for good (validation): nothing was stored, retrying will not help. */
  | { readonly kind: 'rejected'; readonly detail: string };

/**
 * A write claimed in the call's ledger leaves before `sendBy` or not at all (then it fails as not applied, a
 * `KommoWriteNotAppliedError`): so a claim older than the window plus the request timeout is known to be dead.
 */
export interface KommoWriteWindow {
  readonly sendBy: Date;
}

export interface KommoCallNoteReadBack {
  /** Our call notes found, by uniq. */
  readonly found: ReadonlyMap<string, KommoNoteRef>;
  /** Every call note written in the window was read: a uniq not in `found` was not stored. */
  readonly complete: boolean;
}

/** Kommo call logging (kommo-api.md §4, §5). */
export interface KommoCallLog {
  /**
   * POST /api/v4/calls with up to 50 records of one account. Resolves with one result per record, in order.
   * Rejects with `KommoWriteNotAppliedError` only when sure nothing was stored; any other rejection is treated
   * as ambiguous (some or all records may be stored) and the calls are reconciled before being resent.
   */
  logCalls(accountId: number, records: readonly KommoCallRecord[], window?: KommoWriteWindow): Promise<KommoCallLogResult[]>;
  /**
   * Reconciliation read: our call note (call_in/call_out with params.uniq = `uniq`) on the entities of `phone`
   * (or only on `entity` when given). null when Kommo has none.
   */
  findCallNoteByUniq(
    accountId: number,
    query: { readonly uniq: string; readonly phone: E164; readonly direction: CallDirection; readonly entity?: KommoEntityRef },
  ): Promise<KommoNoteRef | null>;
  /**
   * Reconciliation read for a whole batch: our call notes (params.uniq in `uniqs`) among the call notes Kommo
   * wrote since `writtenSince`, on leads, contacts and companies — a few list requests instead of a search per
   * call. A found note is definitive; a uniq not found means "not stored" only when `complete` is true.
   */
  findCallNotesByUniqs(accountId: number, query: { readonly uniqs: readonly string[]; readonly writtenSince: Date }): Promise<KommoCallNoteReadBack>;
  /** POST /api/v4/{entity}/notes: a call note on a known entity (used for the pending incoming lead of a number). */
  addCallNote(accountId: number, entity: KommoEntityRef, record: KommoCallRecord, window?: KommoWriteWindow): Promise<KommoNoteRef>;
  /** PATCH the note's params (link, duration, call_status, call_result). Idempotent: safe to repeat. */
  updateCallNote(accountId: number, note: KommoNoteRef, record: KommoCallRecord): Promise<void>;
}
