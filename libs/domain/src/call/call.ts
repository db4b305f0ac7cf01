import { VoipProvider } from '../account-settings/voip-connection';
import { IllegalDeliveryTransitionError, InvalidCallEventError } from './call.errors';
import { CallDirection, CallEvent, CallOutcome, CallRecording, CallState, isTerminal } from './call-event';
import { E164 } from './e164';
import {
  KommoCallFields,
  KommoCallNoteType,
  KommoCallStatus,
  kommoCallStatusOf,
  KommoEntityRef,
  kommoNoteTypeOf,
  KommoNoteRef,
  sameKommoCallFields,
} from './kommo-call';
import {
  deliveredNote,
  DeliverySkipReason,
  IncomingLeadRef,
  isDelivered,
  KommoDelivery,
  KommoDeliveryLedger,
  KommoDeliveryStatus,
  KommoWriteTarget,
  PENDING_DELIVERY,
} from './kommo-delivery';

/**
 * What all deliveries so far say about one leg. Every field is a join (set union, min, max, or a fixed
 * tie-break), so applying events twice, late or in any order yields the same facts.
 */
export interface CallLegFacts {
  readonly providerCallId: string;
  /** Some delivery named a parent for this leg. */
  readonly isChild: boolean;
  /** Every state any delivery reported, in enum order. */
  readonly states: readonly CallState[];
  readonly direction: CallDirection | null;
  readonly caller: E164 | null;
  readonly callee: E164 | null;
  readonly startedAt: Date | null;
  readonly answeredAt: Date | null;
  readonly endedAt: Date | null;
  /** Earliest occurredAt of a terminal delivery (stands in for endedAt when the provider gives none). */
  readonly terminalSeenAt: Date | null;
  readonly durationSeconds: number | null;
  readonly agentExtension: string | null;
  readonly lastSequence: number | null;
}

/** The manager's input in the call-result modal (server half of UpdateFromModal). */
export interface CallModalResult {
  readonly submissionId: string;
  readonly submittedAt: Date;
  readonly userId: number;
  /** Free text shown as the note's call_result. */
  readonly resultText: string | null;
  /** The manager's own call_status (e.g. 2 "call back later"); overrides the provider-derived one. */
  readonly callStatus: KommoCallStatus | null;
  /** The card the manager linked the call to; the note moves there (absent/null: where Kommo logged it). */
  readonly entity?: KommoEntityRef | null;
  /** A follow-up task to create with this submission (one per submission at most). */
  readonly task?: ModalFollowUpTask | null;
}

/** The follow-up task of a call-result submission (kommo-api.md §8). */
export interface ModalFollowUpTask {
  /** Kommo task type: 1 follow-up (call), 2 meeting, or an account's custom type. */
  readonly typeId: number;
  readonly dueAt: Date;
  readonly text: string;
  /** null: the user who saved the modal. */
  readonly responsibleUserId: number | null;
}

/** A submission's task: `taskId` null = claimed, the create may or may not have reached Kommo (reconcile first). */
export interface ModalTaskRecord {
  readonly submissionId: string;
  readonly taskId: number | null;
}

/** The persisted form: plain data, JSON-friendly apart from Dates. */
export interface CallSnapshot {
  readonly id: string;
  readonly accountId: number;
  readonly provider: VoipProvider;
  readonly connectionId: string | null;
  readonly legs: readonly CallLegFacts[];
  /** Parent ids named by child legs. */
  readonly parentProviderCallIds: readonly string[];
  readonly recording: CallRecording | null;
  readonly modalResult: CallModalResult | null;
  /** Idempotency keys of the deliveries applied (sorted). */
  readonly eventKeys: readonly string[];
  readonly firstOccurredAt: Date | null;
  readonly lastOccurredAt: Date | null;
  readonly delivery: KommoDelivery;
  /** What our Kommo note shows (null until delivered, or when nothing was written). */
  readonly loggedAs: KommoCallFields | null;
  /** Bumped whenever what the note should show changes after delivery (dedupe key of note updates). */
  readonly kommoRevision: number;
  /** The missed-call callback decision, once made (taskId null: none was needed). Makes it once-only. */
  readonly callbackTask: { readonly taskId: number | null; readonly at: Date } | null;
  /** Follow-up tasks of call-result submissions (absent in snapshots written before the modal had tasks). */
  readonly modalTasks?: readonly ModalTaskRecord[];
  /** Our former call notes after a move to another card, not yet turned into a plain note (see UpdateFromModal). */
  readonly retiredNotes?: readonly KommoNoteRef[];
  /** Optimistic-concurrency version; 0 = never saved. */
  readonly version: number;
}

export interface StartCall {
  readonly id: string;
  readonly accountId: number;
  readonly provider: VoipProvider;
  /** The provider call id the call is first known by. */
  readonly providerCallId: string;
  readonly connectionId?: string | null;
}

/**
 * One customer call, merged from every delivery about every leg (Twilio parent + child legs become one call).
 * Its id is ours and is sent to Kommo as `uniq`.
 *
 * State machine (monotone): a leg's outcome is derived from the SET of states reported for it, so a
 * lower-rank event arriving after a higher one never moves it back, and duplicates change nothing.
 * Leg outcome precedence: voicemail > completed (any answer evidence) > busy > missed > failed; a bare
 * "completed" with talk time 0 and no answer evidence reads as missed (voip.md §7.2).
 * Legs: the root leg decides when the call is over; when child (agent/far-end) legs exist they alone say
 * whether a human answered (Twilio's parent leg is "answered" by TwiML even if nobody picks up).
 */
export class Call {
  private constructor(private s: CallSnapshot) {}

  static start(input: StartCall): Call {
    return new Call({
      id: input.id,
      accountId: input.accountId,
      provider: input.provider,
      connectionId: input.connectionId ?? null,
      legs: [emptyLeg(input.providerCallId)],
      parentProviderCallIds: [],
      recording: null,
      modalResult: null,
      eventKeys: [],
      firstOccurredAt: null,
      lastOccurredAt: null,
      delivery: PENDING_DELIVERY,
      loggedAs: null,
      kommoRevision: 0,
      callbackTask: null,
      version: 0,
    });
  }

  static fromSnapshot(snapshot: CallSnapshot): Call {
    return new Call(cloneSnapshot(snapshot));
  }

  toSnapshot(): CallSnapshot {
    return cloneSnapshot(this.s);
  }

  get id(): string {
    return this.s.id;
  }
  get accountId(): number {
    return this.s.accountId;
  }
  get provider(): VoipProvider {
    return this.s.provider;
  }
  get connectionId(): string | null {
    return this.s.connectionId;
  }
  get version(): number {
    return this.s.version;
  }
  get delivery(): KommoDelivery {
    return this.s.delivery;
  }
  get loggedAs(): KommoCallFields | null {
    return this.s.loggedAs;
  }
  get kommoRevision(): number {
    return this.s.kommoRevision;
  }
  get recording(): CallRecording | null {
    return this.s.recording;
  }
  get modalResult(): CallModalResult | null {
    return this.s.modalResult;
  }
  get legs(): readonly CallLegFacts[] {
    return this.s.legs;
  }
  get callbackTask(): { readonly taskId: number | null; readonly at: Date } | null {
    return this.s.callbackTask;
  }

  get modalTasks(): readonly ModalTaskRecord[] {
    return this.s.modalTasks ?? [];
  }
  get retiredNotes(): readonly KommoNoteRef[] {
    return this.s.retiredNotes ?? [];
  }

  modalTaskOf(submissionId: string): ModalTaskRecord | null {
    return this.modalTasks.find((record) => record.submissionId === submissionId) ?? null;
  }

  /** Before creating a submission's task in Kommo: from now on a retry reads Kommo back before creating. */
  claimModalTask(submissionId: string): void {
    if (this.modalTaskOf(submissionId)) return;
    this.s = { ...this.s, modalTasks: [...this.modalTasks, { submissionId, taskId: null }] };
  }

  modalTaskCreated(submissionId: string, taskId: number): void {
    this.s = {
      ...this.s,
      modalTasks: [...this.modalTasks.filter((record) => record.submissionId !== submissionId), { submissionId, taskId }],
    };
  }

  /**
   * The call note now lives on another card (the manager's choice): the ledger points at the new note and the
   * old one waits to be retired. Still one call note per call once it is.
   */
  relinkNote(note: KommoNoteRef): void {
    const previous = deliveredNote(this.s.delivery);
    this.setDelivery(KommoDeliveryLedger.relinked(this.s.delivery, note));
    if (previous && previous.noteId !== note.noteId) {
      this.s = { ...this.s, retiredNotes: [...this.retiredNotes.filter((old) => old.noteId !== previous.noteId), previous] };
    }
  }

  noteRetired(note: KommoNoteRef): void {
    this.s = { ...this.s, retiredNotes: this.retiredNotes.filter((old) => old.noteId !== note.noteId) };
  }

  /**
   * The latest call-result submission still has Kommo work now that the call is logged: the note must move to
   * the chosen card, a former note must be retired, or its task is not created yet.
   */
  get hasPendingModalWork(): boolean {
    if (!this.isDelivered || this.s.delivery.status === KommoDeliveryStatus.Skipped) return false;
    if (this.retiredNotes.length > 0) return true;
    const modal = this.s.modalResult;
    if (!modal) return false;
    const note = deliveredNote(this.s.delivery);
    if (modal.entity && (!note || note.entity.type !== modal.entity.type || note.entity.id !== modal.entity.id)) return true;
    return Boolean(modal.task) && (this.modalTaskOf(modal.submissionId)?.taskId ?? null) === null;
  }

  /** Records the callback decision for this missed call (a task id, or null when none was needed). */
  markCallbackHandled(taskId: number | null, now: Date): void {
    if (this.s.callbackTask) return;
    this.s = { ...this.s, callbackTask: { taskId, at: now } };
  }

  /** Called by repositories once the snapshot is stored. */
  markSaved(): void {
    this.s = { ...this.s, version: this.s.version + 1 };
  }

  /** Every provider call id this call answers to (its legs and the parents they name). */
  get providerCallIds(): readonly string[] {
    return sortedUnique([...this.s.legs.map((leg) => leg.providerCallId), ...this.s.parentProviderCallIds]);
  }

  get rootProviderCallId(): string {
    if (this.s.parentProviderCallIds.length > 0) return this.s.parentProviderCallIds[0];
    const roots = this.s.legs.filter((leg) => !leg.isChild);
    return (roots.length > 0 ? roots : this.s.legs)[0].providerCallId;
  }

  hasApplied(idempotencyKey: string): boolean {
    return this.s.eventKeys.includes(idempotencyKey);
  }

  /** Merges one delivery. Returns false when the delivery was applied before (nothing changes). */
  apply(event: CallEvent): boolean {
    if (event.accountId !== this.s.accountId || event.provider !== this.s.provider) {
      throw new InvalidCallEventError([`event of ${event.provider}/${event.accountId} applied to call ${this.s.id}`]);
    }
    const known = this.providerCallIds;
    if (!known.includes(event.providerCallId) && (event.parentProviderCallId === null || !known.includes(event.parentProviderCallId))) {
      throw new InvalidCallEventError([`leg ${event.providerCallId} is not part of call ${this.s.id}`]);
    }
    if (this.hasApplied(event.idempotencyKey)) return false;

    this.update(() => {
      const existing = this.s.legs.find((leg) => leg.providerCallId === event.providerCallId);
      const leg = mergeLeg(existing ?? emptyLeg(event.providerCallId), event);
      const legs = [...this.s.legs.filter((other) => other.providerCallId !== event.providerCallId), leg].sort(byLegId);
      this.s = {
        ...this.s,
        connectionId: minOf(this.s.connectionId, event.connectionId),
        legs,
        parentProviderCallIds:
          event.parentProviderCallId === null
            ? this.s.parentProviderCallIds
            : sortedUnique([...this.s.parentProviderCallIds, event.parentProviderCallId]),
        recording: betterRecording(this.s.recording, event.recording),
        eventKeys: sortedUnique([...this.s.eventKeys, event.idempotencyKey]),
        firstOccurredAt: minDate(this.s.firstOccurredAt, event.occurredAt),
        lastOccurredAt: maxDate(this.s.lastOccurredAt, event.occurredAt),
      };
    });
    return true;
  }

  /** Last submission wins (by submittedAt, then submissionId), so duplicates and reordering converge. */
  applyModalResult(result: CallModalResult): boolean {
    const current = this.s.modalResult;
    if (current && compareModal(current, result) >= 0) return false;
    this.update(() => {
      this.s = { ...this.s, modalResult: structuredClone(result) };
    });
    return true;
  }

  // ---- derived call view -------------------------------------------------------------------------------

  private get rootLeg(): CallLegFacts | null {
    const rootId = this.rootProviderCallId;
    return this.s.legs.find((leg) => leg.providerCallId === rootId && leg.states.length > 0) ?? null;
  }

  private get childLegs(): CallLegFacts[] {
    const rootId = this.rootProviderCallId;
    return this.s.legs.filter((leg) => leg.providerCallId !== rootId && leg.states.length > 0);
  }

  /** The legs whose answer counts as "a human answered": the children when any exist, else the root. */
  private get answeringLegs(): CallLegFacts[] {
    const children = this.childLegs;
    if (children.length > 0) return children.filter(hasAnswerEvidence);
    const root = this.rootLeg;
    return root && hasAnswerEvidence(root) ? [root] : [];
  }

  /** The call is over: its root leg ended (or, with no root-leg delivery, every leg ended). */
  get isEnded(): boolean {
    const root = this.rootLeg;
    if (root) return legOutcome(root) !== null;
    const children = this.childLegs;
    return children.length > 0 && children.every((leg) => legOutcome(leg) !== null);
  }

  get outcome(): CallOutcome | null {
    if (!this.isEnded) return null;
    const children = this.childLegs;
    if (this.answeringLegs.length > 0 && children.length > 0) return CallState.Completed;
    const outcomes: CallOutcome[] = [];
    for (const leg of children) {
      const outcome = legOutcome(leg);
      if (outcome) outcomes.push(outcome);
    }
    const root = this.rootLeg;
    const rootOutcome = root ? legOutcome(root) : null;
    if (rootOutcome) {
      // With agent legs present, the root's own "completed" only means the provider picked up (IVR/TwiML).
      outcomes.push(children.length > 0 && rootOutcome === CallState.Completed ? CallState.Missed : rootOutcome);
    }
    return strongestOutcome(outcomes);
  }

  /** ringing → answered → outcome; null while only a recording or a modal result is known. */
  get state(): CallState | null {
    const outcome = this.outcome;
    if (outcome) return outcome;
    if (this.answeringLegs.length > 0) return CallState.Answered;
    return this.rootLeg || this.childLegs.length > 0 ? CallState.Ringing : null;
  }

  get direction(): CallDirection | null {
    const root = this.s.legs.find((leg) => leg.providerCallId === this.rootProviderCallId);
    if (root?.direction) return root.direction;
    return minOfAll(this.s.legs.map((leg) => leg.direction));
  }

  /** The customer's number (the non-agent side): the caller of an inbound call, the callee of an outbound one. */
  get customerNumber(): E164 | null {
    const rootId = this.rootProviderCallId;
    const root = this.s.legs.find((leg) => leg.providerCallId === rootId);
    const children = this.s.legs.filter((leg) => leg.providerCallId !== rootId);
    const answered = children.filter(hasAnswerEvidence);
    switch (this.direction) {
      case CallDirection.Inbound:
        return root?.caller ?? minOfAll(answered.map((leg) => leg.caller)) ?? minOfAll(children.map((leg) => leg.caller));
      case CallDirection.Outbound:
        // Click-to-call: the root leg rings the agent, the child leg dials the customer.
        return minOfAll(answered.map((leg) => leg.callee)) ?? minOfAll(children.map((leg) => leg.callee)) ?? root?.callee ?? null;
      case null:
        return null;
    }
  }

  get agentExtension(): string | null {
    const rootId = this.rootProviderCallId;
    const root = this.s.legs.find((leg) => leg.providerCallId === rootId);
    const answeredChildren = this.s.legs.filter((leg) => leg.providerCallId !== rootId && hasAnswerEvidence(leg));
    return (
      minOfAll(answeredChildren.map((leg) => leg.agentExtension)) ??
      root?.agentExtension ??
      minOfAll(this.s.legs.map((leg) => leg.agentExtension))
    );
  }

  get startedAt(): Date | null {
    return minDates(this.s.legs.map((leg) => leg.startedAt)) ?? this.s.firstOccurredAt;
  }

  get answeredAt(): Date | null {
    return minDates(this.answeringLegs.map((leg) => leg.answeredAt));
  }

  get endedAt(): Date | null {
    if (!this.isEnded) return null;
    const root = this.rootLeg;
    if (root) return root.endedAt ?? root.terminalSeenAt;
    return maxDates(this.childLegs.map((leg) => leg.endedAt ?? leg.terminalSeenAt));
  }

  /** Talk time sent to Kommo: from the legs that were answered; 0 unless a conversation (or voicemail) happened. */
  get durationSeconds(): number {
    switch (this.outcome) {
      case CallState.Completed:
        return Math.max(0, ...this.answeringLegs.map(talkTime));
      case CallState.Voicemail: {
        const legs = this.s.legs.filter((leg) => leg.states.includes(CallState.Voicemail));
        const fromLegs = Math.max(0, ...legs.map((leg) => leg.durationSeconds ?? 0));
        return fromLegs > 0 ? fromLegs : (this.s.recording?.durationSeconds ?? 0);
      }
      case CallState.Missed:
      case CallState.Busy:
      case CallState.Failed:
      case null:
        return 0;
    }
  }

  /** An inbound call nobody answered (missed, busy, failed, or a voicemail was left). */
  get isMissed(): boolean {
    const outcome = this.outcome;
    return this.direction === CallDirection.Inbound && outcome !== null && outcome !== CallState.Completed;
  }

  get isAnswered(): boolean {
    return this.outcome === CallState.Completed;
  }

  /** Terminal and with a known direction: it can be logged to Kommo. */
  get isReadyToLog(): boolean {
    return this.isEnded && this.direction !== null;
  }

  get kommoNoteType(): KommoCallNoteType | null {
    const direction = this.direction;
    return direction ? kommoNoteTypeOf(direction) : null;
  }

  get kommoCallStatus(): KommoCallStatus | null {
    const outcome = this.outcome;
    const direction = this.direction;
    if (!outcome || !direction) return null;
    return this.s.modalResult?.callStatus ?? kommoCallStatusOf(outcome, direction);
  }

  /** What the call note should show now; null until the call is ready to log. */
  get kommoFields(): KommoCallFields | null {
    const callStatus = this.kommoCallStatus;
    if (!this.isReadyToLog || callStatus === null) return null;
    return {
      callStatus,
      durationSeconds: this.durationSeconds,
      hasRecording: this.s.recording !== null,
      callResult: this.s.modalResult?.resultText ?? null,
    };
  }

  get isDelivered(): boolean {
    return isDelivered(this.s.delivery);
  }

  /** Delivered, and the note no longer shows what it should (late recording, modal result, late leg info). */
  get needsKommoUpdate(): boolean {
    const fields = this.kommoFields;
    return this.isDelivered && this.s.loggedAs !== null && fields !== null && !sameKommoCallFields(fields, this.s.loggedAs);
  }

  /** A recording arrived after the call was logged without one. */
  get recordingNeedsUpdate(): boolean {
    return this.needsKommoUpdate && this.s.recording !== null && this.s.loggedAs?.hasRecording === false;
  }

  // ---- Kommo delivery ledger -----------------------------------------------------------------------------

  claimDelivery(target: KommoWriteTarget, fields: KommoCallFields, now: Date, lead: IncomingLeadRef | null = null): void {
    this.setDelivery(KommoDeliveryLedger.claim(this.s.delivery, target, fields, now, lead));
  }

  deliveryNotApplied(error: string): void {
    this.setDelivery(KommoDeliveryLedger.notApplied(this.s.delivery, error));
  }

  deliveryAmbiguous(error: string, now: Date): void {
    this.setDelivery(KommoDeliveryLedger.ambiguous(this.s.delivery, error, now));
  }

  expireDeliveryClaim(now: Date, leaseMs: number): void {
    this.setDelivery(KommoDeliveryLedger.expireClaim(this.s.delivery, now, leaseMs));
  }

  deliverySent(note: KommoNoteRef, now: Date): void {
    const fields = sentFields(this.s.delivery);
    this.setDelivery(KommoDeliveryLedger.sent(this.s.delivery, note, now), fields);
  }

  deliveryToIncomingLead(lead: IncomingLeadRef, note: KommoNoteRef | null, now: Date): void {
    const fields = sentFields(this.s.delivery);
    this.setDelivery(KommoDeliveryLedger.incomingLead(this.s.delivery, lead, note, now), fields);
  }

  deliveryReconciledNotFound(): void {
    this.setDelivery(KommoDeliveryLedger.reconciledNotFound(this.s.delivery));
  }

  skipDelivery(reason: DeliverySkipReason, now: Date): void {
    this.setDelivery(KommoDeliveryLedger.skip(this.s.delivery, reason, now));
  }

  /** The note Kommo made inside our incoming lead, found later by a read. */
  deliveryLeadNoteFound(note: KommoNoteRef): void {
    this.setDelivery(KommoDeliveryLedger.withLeadNote(this.s.delivery, note));
  }

  /** Our note now shows `fields` (after a PATCH, or when there is nothing to update). */
  markKommoSynced(fields: KommoCallFields): void {
    if (!this.isDelivered || this.s.delivery.status === KommoDeliveryStatus.Skipped) {
      throw new IllegalDeliveryTransitionError(this.s.delivery.status, 'sync a Kommo note');
    }
    this.s = { ...this.s, loggedAs: { ...fields } };
  }

  private setDelivery(delivery: KommoDelivery, loggedAs?: KommoCallFields | null): void {
    this.s = { ...this.s, delivery, loggedAs: loggedAs === undefined ? this.s.loggedAs : loggedAs };
  }

  /** Runs a change of the call's facts; bumps kommoRevision if a delivered call's note content changed. */
  private update(change: () => void): void {
    const before = this.isDelivered ? this.kommoFields : null;
    change();
    if (!this.isDelivered) return;
    const after = this.kommoFields;
    if (after && (!before || !sameKommoCallFields(before, after))) {
      this.s = { ...this.s, kommoRevision: this.s.kommoRevision + 1 };
    }
  }
}

// ---- leg merge (the join) ------------------------------------------------------------------------------------

function emptyLeg(providerCallId: string): CallLegFacts {
  return {
    providerCallId,
    isChild: false,
    states: [],
    direction: null,
    caller: null,
    callee: null,
    startedAt: null,
    answeredAt: null,
    endedAt: null,
    terminalSeenAt: null,
    durationSeconds: null,
    agentExtension: null,
    lastSequence: null,
  };
}

const STATE_ORDER: readonly CallState[] = Object.values(CallState);

function mergeLeg(leg: CallLegFacts, event: CallEvent): CallLegFacts {
  const states =
    event.state === null || leg.states.includes(event.state)
      ? leg.states
      : [...leg.states, event.state].sort((a, b) => STATE_ORDER.indexOf(a) - STATE_ORDER.indexOf(b));
  return {
    providerCallId: leg.providerCallId,
    isChild: leg.isChild || event.parentProviderCallId !== null,
    states,
    direction: minOf(leg.direction, event.direction),
    caller: minOf(leg.caller, event.caller),
    callee: minOf(leg.callee, event.callee),
    startedAt: minDate(leg.startedAt, event.startedAt),
    answeredAt: minDate(leg.answeredAt, event.answeredAt),
    endedAt: maxDate(leg.endedAt, event.endedAt),
    terminalSeenAt: event.state !== null && isTerminal(event.state) ? minDate(leg.terminalSeenAt, event.occurredAt) : leg.terminalSeenAt,
    durationSeconds: maxNumber(leg.durationSeconds, event.durationSeconds),
    agentExtension: minOf(leg.agentExtension, event.agentExtension),
    lastSequence: maxNumber(leg.lastSequence, event.sequence),
  };
}

function hasAnswerEvidence(leg: CallLegFacts): boolean {
  return leg.states.includes(CallState.Answered) || leg.answeredAt !== null || (leg.durationSeconds ?? 0) > 0;
}

/** The leg's outcome from everything reported for it; null while it has not ended. */
function legOutcome(leg: CallLegFacts): CallOutcome | null {
  const has = (state: CallState) => leg.states.includes(state);
  if (!leg.states.some(isTerminal)) return null;
  if (has(CallState.Voicemail)) return CallState.Voicemail;
  if (hasAnswerEvidence(leg)) return CallState.Completed;
  if (has(CallState.Busy)) return CallState.Busy;
  if (has(CallState.Missed)) return CallState.Missed;
  if (has(CallState.Failed)) return CallState.Failed;
  // Only "completed": talk time 0 and no answer ⇒ nobody answered; no duration given ⇒ trust the provider.
  return leg.durationSeconds === 0 ? CallState.Missed : CallState.Completed;
}

const OUTCOME_STRENGTH: readonly CallOutcome[] = [
  CallState.Voicemail,
  CallState.Completed,
  CallState.Busy,
  CallState.Missed,
  CallState.Failed,
];

function strongestOutcome(outcomes: readonly CallOutcome[]): CallOutcome | null {
  return OUTCOME_STRENGTH.find((outcome) => outcomes.includes(outcome)) ?? null;
}

function talkTime(leg: CallLegFacts): number {
  if (leg.durationSeconds !== null) return leg.durationSeconds;
  if (leg.answeredAt && leg.endedAt) return Math.max(0, Math.round((leg.endedAt.getTime() - leg.answeredAt.getTime()) / 1000));
  return 0;
}

/** Longest recording wins; equal lengths: smallest URL (any fixed tie-break keeps the merge commutative). */
function betterRecording(current: CallRecording | null, next: CallRecording | null): CallRecording | null {
  if (!next) return current;
  if (!current) return { ...next };
  const a = current.durationSeconds ?? -1;
  const b = next.durationSeconds ?? -1;
  if (b > a || (b === a && next.url < current.url)) return { ...next };
  return current;
}

function compareModal(a: CallModalResult, b: CallModalResult): number {
  const byTime = a.submittedAt.getTime() - b.submittedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.submissionId < b.submissionId ? -1 : a.submissionId > b.submissionId ? 1 : 0;
}

function sentFields(delivery: KommoDelivery): KommoCallFields | null {
  return delivery.status === KommoDeliveryStatus.Sending || delivery.status === KommoDeliveryStatus.Ambiguous
    ? delivery.fields
    : null;
}

// ---- small joins ------------------------------------------------------------------------------------------

function minOf<T extends string>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return b < a ? b : a;
}

function minOfAll<T extends string>(values: readonly (T | null)[]): T | null {
  return values.reduce<T | null>((best, value) => minOf(best, value), null);
}

function minDate(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b === null ? null : new Date(b.getTime());
  if (b === null) return a;
  return b.getTime() < a.getTime() ? new Date(b.getTime()) : a;
}

function maxDate(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b === null ? null : new Date(b.getTime());
  if (b === null) return a;
  return b.getTime() > a.getTime() ? new Date(b.getTime()) : a;
}

function minDates(values: readonly (Date | null)[]): Date | null {
  return values.reduce<Date | null>((best, value) => minDate(best, value), null);
}

function maxDates(values: readonly (Date | null)[]): Date | null {
  return values.reduce<Date | null>((best, value) => maxDate(best, value), null);
}

function maxNumber(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function byLegId(a: CallLegFacts, b: CallLegFacts): number {
  return a.providerCallId < b.providerCallId ? -1 : a.providerCallId > b.providerCallId ? 1 : 0;
}

function cloneSnapshot(s: CallSnapshot): CallSnapshot {
  return structuredClone(s);
}
