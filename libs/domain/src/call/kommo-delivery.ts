import { IllegalDeliveryTransitionError } from './call.errors';
import { KommoCallFields, KommoNoteRef } from './kommo-call';

/**
 * The per-call ledger toward Kommo that makes logging exactly-once (issue 4, item 4).
 *
 *   pending ──claim──▶ sending ──sent──────────────▶ sent                 (note on the entity Kommo chose)
 *      ▲                  │ ──incoming lead──────▶ unknown_number_lead  (new unsorted lead, or a note on the pending one)
 *      │                  │ ──not applied────────▶ pending              (429, refused, "Entity not found"…)
 *      │                  │ ──ambiguous / lease──▶ ambiguous            (timeout or dropped connection after sending)
 *      │                  │ ──skip───────────────▶ skipped              (policy "ignore", no customer number)
 *      └──reconcile: not found── ambiguous ──reconcile: found──▶ sent / unknown_number_lead
 *
 * There is no edge from `ambiguous` to `sending`: a write whose outcome is unknown is read back first.
 */
export enum KommoDeliveryStatus {
  Pending = 'pending',
  Sending = 'sending',
  Ambiguous = 'ambiguous',
  Sent = 'sent',
  UnknownNumberLead = 'unknown_number_lead',
  Skipped = 'skipped',
}

/** Which Kommo write an attempt makes. */
export enum KommoWriteTarget {
  /** POST /api/v4/calls: Kommo's attach algorithm picks the entity. */
  CallsApi = 'calls_api',
  /** POST /api/v4/leads/unsorted/sip: a new incoming lead for an unknown number. */
  IncomingLead = 'incoming_lead',
  /** POST /api/v4/leads/notes: a call note on the still-unsorted lead of an earlier call from the same number. */
  PendingLeadNote = 'pending_lead_note',
}

export enum DeliverySkipReason {
  UnknownNumberIgnored = 'unknown_number_ignored',
  NoCustomerNumber = 'no_customer_number',
}

export interface IncomingLeadRef {
  readonly unsortedUid: string;
  readonly leadId: number;
}

export type KommoDelivery =
  | { readonly status: KommoDeliveryStatus.Pending; readonly attempts: number; readonly lastError: string | null }
  | {
      readonly status: KommoDeliveryStatus.Sending;
      readonly target: KommoWriteTarget;
      readonly attempts: number;
      readonly since: Date;
      /** What this attempt writes (becomes the call's `loggedAs` once delivered). */
      readonly fields: KommoCallFields;
      /** The pending incoming lead a PendingLeadNote attempt writes on (needed to reconcile it). */
      readonly lead: IncomingLeadRef | null;
    }
  | {
      readonly status: KommoDeliveryStatus.Ambiguous;
      readonly target: KommoWriteTarget;
      readonly attempts: number;
      readonly since: Date;
      readonly fields: KommoCallFields;
      readonly lead: IncomingLeadRef | null;
      readonly lastError: string;
    }
  | { readonly status: KommoDeliveryStatus.Sent; readonly note: KommoNoteRef; readonly attempts: number; readonly at: Date }
  | {
      readonly status: KommoDeliveryStatus.UnknownNumberLead;
      readonly lead: IncomingLeadRef;
      /** true: this call created the unsorted lead; false: it was noted on an earlier call's pending lead. */
      readonly createdLead: boolean;
      /** Our call note on the lead, when known (needed to update it later). */
      readonly note: KommoNoteRef | null;
      readonly attempts: number;
      readonly at: Date;
    }
  | { readonly status: KommoDeliveryStatus.Skipped; readonly reason: DeliverySkipReason; readonly at: Date };

export const PENDING_DELIVERY: KommoDelivery = { status: KommoDeliveryStatus.Pending, attempts: 0, lastError: null };

/** Nothing more will be written for the call itself (later note updates aside). */
export function isDelivered(delivery: KommoDelivery): boolean {
  return (
    delivery.status === KommoDeliveryStatus.Sent ||
    delivery.status === KommoDeliveryStatus.UnknownNumberLead ||
    delivery.status === KommoDeliveryStatus.Skipped
  );
}

/** Pure transitions; each throws `IllegalDeliveryTransitionError` when the ledger forbids it. */
export const KommoDeliveryLedger = {
  claim(
    delivery: KommoDelivery,
    target: KommoWriteTarget,
    fields: KommoCallFields,
    now: Date,
    lead: IncomingLeadRef | null = null,
  ): KommoDelivery {
    if (delivery.status !== KommoDeliveryStatus.Pending) throw illegal(delivery, `claim ${target}`);
    if ((target === KommoWriteTarget.PendingLeadNote) !== (lead !== null)) throw illegal(delivery, `claim ${target} without its lead`);
    return { status: KommoDeliveryStatus.Sending, target, attempts: delivery.attempts + 1, since: now, fields, lead };
  },

  /** The attempt definitely had no effect: back to pending, a later attempt may write. */
  notApplied(delivery: KommoDelivery, error: string): KommoDelivery {
    if (delivery.status !== KommoDeliveryStatus.Sending) throw illegal(delivery, 'record a write that was not applied');
    return { status: KommoDeliveryStatus.Pending, attempts: delivery.attempts, lastError: error };
  },

  /** Timeout / dropped connection after the request left: must reconcile before any resend. */
  ambiguous(delivery: KommoDelivery, error: string, now: Date): KommoDelivery {
    if (delivery.status !== KommoDeliveryStatus.Sending) throw illegal(delivery, 'record an ambiguous write');
    return {
      status: KommoDeliveryStatus.Ambiguous,
      target: delivery.target,
      attempts: delivery.attempts,
      since: now,
      fields: delivery.fields,
      lead: delivery.lead,
      lastError: error,
    };
  },

  /** A claim older than the lease belongs to a worker that died mid-write: its outcome is unknown. */
  expireClaim(delivery: KommoDelivery, now: Date, leaseMs: number): KommoDelivery {
    if (delivery.status !== KommoDeliveryStatus.Sending || !isClaimExpired(delivery, now, leaseMs)) {
      throw illegal(delivery, 'expire a claim that is not stale');
    }
    return KommoDeliveryLedger.ambiguous(delivery, `claim expired (taken ${delivery.since.toISOString()})`, now);
  },

  sent(delivery: KommoDelivery, note: KommoNoteRef, now: Date): KommoDelivery {
    if (!inFlightOrAmbiguous(delivery, KommoWriteTarget.CallsApi)) throw illegal(delivery, 'record a logged call');
    return { status: KommoDeliveryStatus.Sent, note, attempts: attemptsOf(delivery), at: now };
  },

  incomingLead(delivery: KommoDelivery, lead: IncomingLeadRef, note: KommoNoteRef | null, now: Date): KommoDelivery {
    const createdLead = inFlightOrAmbiguous(delivery, KommoWriteTarget.IncomingLead);
    if (!createdLead && !inFlightOrAmbiguous(delivery, KommoWriteTarget.PendingLeadNote)) {
      throw illegal(delivery, 'record an incoming lead');
    }
    return { status: KommoDeliveryStatus.UnknownNumberLead, lead, createdLead, note, attempts: attemptsOf(delivery), at: now };
  },

  /** Reconciliation read Kommo and found nothing of ours: start over (the next claim may resend). */
  reconciledNotFound(delivery: KommoDelivery): KommoDelivery {
    if (delivery.status !== KommoDeliveryStatus.Ambiguous) throw illegal(delivery, 'restart after reconciliation');
    return { status: KommoDeliveryStatus.Pending, attempts: delivery.attempts, lastError: delivery.lastError };
  },

  skip(delivery: KommoDelivery, reason: DeliverySkipReason, now: Date): KommoDelivery {
    if (delivery.status !== KommoDeliveryStatus.Pending) throw illegal(delivery, `skip (${reason})`);
    return { status: KommoDeliveryStatus.Skipped, reason, at: now };
  },

  /** Our call note was re-created on the card the manager chose (call-result modal); the old one is retired. */
  relinked(delivery: KommoDelivery, note: KommoNoteRef): KommoDelivery {
    if (delivery.status === KommoDeliveryStatus.Sent || delivery.status === KommoDeliveryStatus.UnknownNumberLead) return { ...delivery, note };
    throw illegal(delivery, 'move the call note');
  },

  /** Remembers the note Kommo made inside an incoming lead once a later read finds it. */
  withLeadNote(delivery: KommoDelivery, note: KommoNoteRef): KommoDelivery {
    if (delivery.status !== KommoDeliveryStatus.UnknownNumberLead) throw illegal(delivery, 'attach a lead note');
    return { ...delivery, note };
  },
};

export function isClaimExpired(delivery: KommoDelivery, now: Date, leaseMs: number): boolean {
  return delivery.status === KommoDeliveryStatus.Sending && now.getTime() - delivery.since.getTime() >= leaseMs;
}

/** The note our call lives in, once delivered (null: skipped, or an incoming lead whose note is not known yet). */
export function deliveredNote(delivery: KommoDelivery): KommoNoteRef | null {
  if (delivery.status === KommoDeliveryStatus.Sent) return delivery.note;
  if (delivery.status === KommoDeliveryStatus.UnknownNumberLead) return delivery.note;
  return null;
}

function inFlightOrAmbiguous(delivery: KommoDelivery, target: KommoWriteTarget): boolean {
  return (
    (delivery.status === KommoDeliveryStatus.Sending || delivery.status === KommoDeliveryStatus.Ambiguous) &&
    delivery.target === target
  );
}

function attemptsOf(delivery: KommoDelivery): number {
  return delivery.status === KommoDeliveryStatus.Skipped ? 0 : delivery.attempts;
}

function illegal(delivery: KommoDelivery, action: string): IllegalDeliveryTransitionError {
  const from = 'target' in delivery ? `${delivery.status} (${delivery.target})` : delivery.status;
  return new IllegalDeliveryTransitionError(from, action);
}
