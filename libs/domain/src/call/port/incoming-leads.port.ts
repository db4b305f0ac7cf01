import { E164 } from '../e164';
import { IncomingLeadRef } from '../kommo-delivery';
import { KommoCallRecord, KommoWriteWindow } from './kommo-call-log.port';

/** An unsorted `sip` incoming lead not yet accepted or declined. */
export interface PendingIncomingLead extends IncomingLeadRef {
  /** metadata.uniq of the call that created it (ours when it is our call id). */
  readonly uniq: string | null;
}

export type CreateIncomingLeadResult =
  | ({ readonly kind: 'created' } & IncomingLeadRef)
  /** Kommo refused it as a duplicate of an incoming lead it already holds: nothing was stored. */
  | { readonly kind: 'duplicate' };

/** Kommo incoming leads (unsorted, category sip — kommo-api.md §6). */
export interface IncomingLeads {
  /**
   * POST /api/v4/leads/unsorted/sip with the call in `metadata` (uniq, from, phone, called_at, duration,
   * link, service_code, is_call_event_needed = true). Failure semantics as `KommoCallLog.logCalls`.
   */
  createSip(accountId: number, record: KommoCallRecord, window?: KommoWriteWindow): Promise<CreateIncomingLeadResult>;
  /** The still-unsorted sip lead for this number, if any (oldest first when several). */
  findPendingForNumber(accountId: number, phone: E164): Promise<PendingIncomingLead | null>;
}
