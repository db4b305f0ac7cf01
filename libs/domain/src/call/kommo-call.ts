import { CallDirection, CallOutcome, CallState } from './call-event';

/** Kommo's `call_status` (kommo-api.md §4.2). */
export enum KommoCallStatus {
  LeftMessage = 1,
  CallBackLater = 2,
  NotAvailable = 3,
  ConversationTookPlace = 4,
  WrongNumber = 5,
  DidNotGetThrough = 6,
  LineBusy = 7,
}

export const KOMMO_CALL_STATUSES: readonly KommoCallStatus[] = [1, 2, 3, 4, 5, 6, 7];

/**
 * Provider outcome → Kommo call_status.
 * | outcome   | inbound                | outbound              |
 * | completed | 4 conversation         | 4 conversation        |
 * | voicemail | 1 left a message       | 1 left a message      |
 * | busy      | 7 line busy            | 7 line busy           |
 * | missed    | 6 did not get through  | 3 not available       |
 * | failed    | 6 did not get through  | 6 did not get through |
 */
export function kommoCallStatusOf(outcome: CallOutcome, direction: CallDirection): KommoCallStatus {
  switch (outcome) {
    case CallState.Completed:
      return KommoCallStatus.ConversationTookPlace;
    case CallState.Voicemail:
      return KommoCallStatus.LeftMessage;
    case CallState.Busy:
      return KommoCallStatus.LineBusy;
    case CallState.Missed:
      return direction === CallDirection.Inbound ? KommoCallStatus.DidNotGetThrough : KommoCallStatus.NotAvailable;
    case CallState.Failed:
      return KommoCallStatus.DidNotGetThrough;
  }
}

export type KommoCallNoteType = 'call_in' | 'call_out';

export function kommoNoteTypeOf(direction: CallDirection): KommoCallNoteType {
  return direction === CallDirection.Inbound ? 'call_in' : 'call_out';
}

/** Singular, as in the /calls response (`entity_type`). */
export type KommoEntityType = 'lead' | 'contact' | 'company' | 'customer';

export interface KommoEntityRef {
  readonly type: KommoEntityType;
  readonly id: number;
}

/** The call note Kommo created for our call (the /calls response `id` is the note id). */
export interface KommoNoteRef {
  readonly entity: KommoEntityRef;
  readonly noteId: number;
}

/** What our call note shows, compared after logging to know whether the note must be updated. */
export interface KommoCallFields {
  readonly callStatus: KommoCallStatus;
  readonly durationSeconds: number;
  readonly hasRecording: boolean;
  readonly callResult: string | null;
}

export function sameKommoCallFields(a: KommoCallFields, b: KommoCallFields): boolean {
  return (
    a.callStatus === b.callStatus &&
    a.durationSeconds === b.durationSeconds &&
    a.hasRecording === b.hasRecording &&
    a.callResult === b.callResult
  );
}
