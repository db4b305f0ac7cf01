import { AccountSettings, defaultAccountSettings, UnknownNumberPolicy } from '../../../account-settings/account-settings';
import { Clock } from '../../../shared/clock.port';
import { DistributedLock } from '../../../shared/distributed-lock.port';
import { Call } from '../../call';
import { CallBatchTooLargeError, CallVersionConflictError, KommoWriteNotAppliedError } from '../../call.errors';
import { tasksAfterDelivery } from '../../call-follow-ups';
import { mutateCall } from '../../call-mutation';
import { kommoCallRecordOf, responsibleUserOf } from '../../kommo-call-record';
import { DeliverySkipReason, KommoDeliveryStatus, KommoWriteTarget } from '../../kommo-delivery';
import { AccountSettingsReader } from '../../port/account-settings-reader.port';
import { CallRepository } from '../../port/call.repository.port';
import { ContactCreator } from '../../port/contact-creator.port';
import { CallTaskQueue } from '../../port/call-task-queue.port';
import { ExtensionDirectory } from '../../port/extension-directory.port';
import { IncomingLeads } from '../../port/incoming-leads.port';
import { KommoCallLog, KommoCallLogResult, KommoCallNoteReadBack, KommoCallRecord, KommoWriteWindow } from '../../port/kommo-call-log.port';
import { RecordingLinks } from '../../port/recording-links.port';

/** Kommo's recommended write batch (kommo-api.md §10). */
export const MAX_KOMMO_CALL_BATCH = 50;

export type AddCallOutcome =
  /** POST /calls stored it on the entity Kommo chose. */
  | 'logged'
  /** An earlier attempt's outcome was unknown; reading Kommo back found our note. */
  | 'reconciled'
  | 'already_logged'
  | 'incoming_lead_created'
  /** The number's earlier incoming lead is still unsorted: the call became a note on it (no rejected duplicate). */
  | 'noted_on_pending_incoming_lead'
  | 'unknown_number_ignored'
  | 'no_customer_number'
  /** Policy "create a contact": the contact now exists; the call is logged on it by the job's next attempt. */
  | 'contact_created'
  | 'unsupported_policy'
  | 'not_found'
  | 'not_ready'
  /** Another worker's attempt is within its lease. */
  | 'in_flight'
  | 'retry_later'
  | 'rejected';

export interface AddCallItemResult {
  readonly callId: string;
  readonly outcome: AddCallOutcome;
  /** The worker should retry this call's job (with backoff). */
  readonly retryable: boolean;
  /** No sooner than this (e.g. another worker's claim is still within its lease). */
  readonly retryAfterMs?: number;
  readonly detail?: string;
}

export interface AddCallOptions {
  /** A claimed write leaves within this time of its claim or not at all (the Kommo adapter enforces it). */
  readonly sendWindowMs: number;
  /**
   * A `sending` claim older than this belongs to a dead worker: it must exceed the send window plus the Kommo
   * request timeout (a write that left in the window has had its answer, or timed out, by then).
   */
  readonly claimLeaseMs: number;
  /** Per-number lock around the unknown-number branch (one incoming lead per number). */
  readonly lockTtlMs: number;
  readonly lockWaitMs: number;
  /**
   * A batch read-back lists the call notes written since the earliest uncertain attempt minus this margin (clock
   * skew between us and Kommo, should Kommo stamp `updated_at` itself).
   */
  readonly readBackMarginMs: number;
}

export const DEFAULT_ADD_CALL_OPTIONS: AddCallOptions = { sendWindowMs: 20_000, claimLeaseMs: 45_000, lockTtlMs: 30_000, lockWaitMs: 10_000, readBackMarginMs: 300_000 };

/** What one batch read-back answered for the calls it asked about (null: it failed). */
interface BatchReadBack {
  readonly asked: ReadonlySet<string>;
  readonly answer: KommoCallNoteReadBack | null;
  readonly error: string | null;
}

interface Claimed {
  readonly call: Call;
  readonly record: KommoCallRecord;
}

/**
 * Logs finished calls of one account to Kommo, exactly once (spec: Voip/UseCase AddCall).
 *
 * Batching: takes up to 50 calls of ONE account and sends every call that needs POST /calls in a single
 * request (the worker collects AddCall jobs of an account for a short flush window). Results are per call.
 *
 * Exactly-once: each call's ledger is claimed (saved) before the write; the outcome is recorded after it.
 * A failure known to have had no effect returns the claim; any other failure leaves the call `ambiguous` and
 * the next run reads Kommo back (note with our uniq / incoming lead with our uniq) before writing again.
 * Whole-request failures are rethrown after the ledger is recorded, so the job retries with backoff.
 *
 * "Entity not found" → the account's unknown-number policy: an incoming lead (or, while the number's earlier
 * incoming lead is still unsorted, a call note on that lead), or nothing. Missed inbound calls get a
 * CreateCallbackTask job; answered calls a CompleteCallbackTask job.
 */
export class AddCallUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly kommo: KommoCallLog,
    private readonly leads: IncomingLeads,
    private readonly settings: AccountSettingsReader,
    private readonly extensions: ExtensionDirectory,
    private readonly links: RecordingLinks,
    private readonly tasks: CallTaskQueue,
    private readonly lock: DistributedLock,
    private readonly clock: Clock,
    private readonly contacts: ContactCreator,
    private readonly options: AddCallOptions = DEFAULT_ADD_CALL_OPTIONS,
  ) {}

  async execute(command: { accountId: number; callIds: readonly string[] }): Promise<{ results: AddCallItemResult[] }> {
    const callIds = [...new Set(command.callIds)];
    if (callIds.length > MAX_KOMMO_CALL_BATCH) throw new CallBatchTooLargeError(callIds.length, MAX_KOMMO_CALL_BATCH);
    const { accountId } = command;
    const settings = (await this.settings.find(accountId)) ?? defaultAccountSettings(accountId);

    const results = new Map<string, AddCallItemResult>();
    const loaded = new Map<string, Call | null>();
    for (const callId of callIds) {
      try {
        loaded.set(callId, await this.calls.findById(accountId, callId));
      } catch (error) {
        results.set(callId, retry(callId, describe(error)));
      }
    }
    const readBack = await this.readBack(accountId, [...loaded.values()].filter((call): call is Call => call !== null));
    const batch: Claimed[] = [];
    for (const [callId, call] of loaded) {
      const prepared = await this.prepare(callId, call, settings, readBack);
      if ('outcome' in prepared) results.set(callId, prepared);
      else batch.push(prepared);
    }

    if (batch.length > 0) {
      const logged = await this.send(accountId, batch);
      for (const [index, { call, record }] of batch.entries()) {
        try {
          results.set(call.id, await this.recordResult(call, record, logged[index], settings));
        } catch (error) {
          results.set(call.id, retry(call.id, describe(error)));
        }
      }
    }
    return { results: callIds.map((callId) => results.get(callId) ?? retry(callId, 'no result')) };
  }

  private async recordResult(
    call: Call,
    record: KommoCallRecord,
    result: KommoCallLogResult,
    settings: AccountSettings,
  ): Promise<AddCallItemResult> {
    switch (result.kind) {
      case 'logged': {
        const saved = await this.record(call, (fresh) => fresh.deliverySent(result.note, this.clock.now()));
        await this.followUp(saved, settings);
        return ok(call.id, 'logged');
      }
      case 'rejected':
        await this.record(call, (fresh) => fresh.deliveryNotApplied(`rejected: ${result.detail}`));
        return { callId: call.id, outcome: 'rejected', retryable: false, detail: result.detail };
      case 'entity_not_found': {
        const pending = await this.record(call, (fresh) => fresh.deliveryNotApplied('Entity not found'));
        return this.unknownNumber(pending, record, settings);
      }
    }
  }

  /** Brings the call to a claimed `sending` (returned for the batch) or to a final per-call result. */
  private async prepare(callId: string, loaded: Call | null, settings: AccountSettings, readBack: BatchReadBack | null): Promise<Claimed | AddCallItemResult> {
    try {
      let call = loaded;
      if (!call) return { callId, outcome: 'not_found', retryable: false };
      if (!call.isReadyToLog) return { callId, outcome: 'not_ready', retryable: false };
      if (call.isDelivered) {
        await this.followUp(call, settings); // a crash may have come between recording and enqueuing
        return ok(callId, 'already_logged');
      }
      const now = this.clock.now();
      if (call.delivery.status === KommoDeliveryStatus.Sending) {
        const age = now.getTime() - call.delivery.since.getTime();
        if (age < this.options.claimLeaseMs) {
          return { callId, outcome: 'in_flight', retryable: true, retryAfterMs: this.options.claimLeaseMs - age + 1_000 };
        }
        call = await this.record(call, (fresh) => fresh.expireDeliveryClaim(now, this.options.claimLeaseMs));
      }
      if (call.delivery.status === KommoDeliveryStatus.Ambiguous) {
        if (readBack?.asked.has(call.id) && readBack.error !== null) return retry(callId, `read-back failed: ${readBack.error}`);
        call = await this.reconcile(call, readBack?.asked.has(call.id) ? readBack.answer : null);
        if (call.isDelivered) {
          await this.followUp(call, settings);
          return ok(callId, 'reconciled');
        }
      }
      if (call.customerNumber === null) {
        call = await this.record(call, (fresh) => fresh.skipDelivery(DeliverySkipReason.NoCustomerNumber, this.clock.now()));
        await this.followUp(call, settings);
        return ok(callId, 'no_customer_number');
      }
      const record = kommoCallRecordOf(call, settings, await responsibleUserOf(call, settings, this.extensions), this.links);
      call.claimDelivery(KommoWriteTarget.CallsApi, rawFields(call), this.clock.now());
      await this.calls.save(call); // no reload on conflict: someone else is working on this call
      return { call, record };
    } catch (error) {
      return retry(callId, describe(error));
    }
  }

  /**
   * The calls of a batch whose last /calls attempt has an unknown outcome (ambiguous, or a dead worker's expired
   * claim), read back from Kommo together: a few list requests for the batch instead of a search per call.
   */
  private async readBack(accountId: number, calls: readonly Call[]): Promise<BatchReadBack | null> {
    const now = this.clock.now().getTime();
    const uncertain = calls.flatMap((call) => {
      const delivery = call.delivery;
      if (delivery.status === KommoDeliveryStatus.Ambiguous && delivery.target === KommoWriteTarget.CallsApi) {
        // Marked ambiguous at `since`; the write left at most a claim lease earlier.
        return [{ id: call.id, writtenSince: delivery.since.getTime() - this.options.claimLeaseMs }];
      }
      if (delivery.status === KommoDeliveryStatus.Sending && delivery.target === KommoWriteTarget.CallsApi && now - delivery.since.getTime() >= this.options.claimLeaseMs) {
        return [{ id: call.id, writtenSince: delivery.since.getTime() }];
      }
      return [];
    });
    if (uncertain.length === 0) return null;
    const asked = new Set(uncertain.map(({ id }) => id));
    const writtenSince = new Date(Math.min(...uncertain.map(({ writtenSince }) => writtenSince)) - this.options.readBackMarginMs);
    try {
      return { asked, answer: await this.kommo.findCallNotesByUniqs(accountId, { uniqs: [...asked], writtenSince }), error: null };
    } catch (error) {
      return { asked, answer: null, error: describe(error) };
    }
  }

  /**
   * Ambiguous last attempt: read Kommo back for our uniq (the batch's read-back when it answered for this call,
   * else a search by the call's number). Found → delivered; not found → pending again.
   */
  private async reconcile(call: Call, batch: KommoCallNoteReadBack | null): Promise<Call> {
    const delivery = call.delivery;
    const phone = call.customerNumber;
    const direction = call.direction;
    if (delivery.status !== KommoDeliveryStatus.Ambiguous) return call;
    if (phone === null || direction === null) return this.record(call, (fresh) => fresh.deliveryReconciledNotFound());
    switch (delivery.target) {
      case KommoWriteTarget.CallsApi: {
        const fromBatch = batch?.found.get(call.id) ?? null;
        const note = fromBatch ?? (batch?.complete ? null : await this.kommo.findCallNoteByUniq(call.accountId, { uniq: call.id, phone, direction }));
        return this.record(call, (fresh) =>
          note ? fresh.deliverySent(note, this.clock.now()) : fresh.deliveryReconciledNotFound(),
        );
      }
      case KommoWriteTarget.IncomingLead: {
        const pending = await this.leads.findPendingForNumber(call.accountId, phone);
        const ours = pending !== null && pending.uniq === call.id;
        return this.record(call, (fresh) =>
          ours ? fresh.deliveryToIncomingLead(pending, null, this.clock.now()) : fresh.deliveryReconciledNotFound(),
        );
      }
      case KommoWriteTarget.PendingLeadNote: {
        const lead = delivery.lead;
        const note = lead
          ? await this.kommo.findCallNoteByUniq(call.accountId, { uniq: call.id, phone, direction, entity: { type: 'lead', id: lead.leadId } })
          : null;
        return this.record(call, (fresh) =>
          note && lead ? fresh.deliveryToIncomingLead(lead, note, this.clock.now()) : fresh.deliveryReconciledNotFound(),
        );
      }
    }
  }

  private async send(accountId: number, batch: readonly Claimed[]): Promise<KommoCallLogResult[]> {
    let results: KommoCallLogResult[];
    try {
      const claimedAt = Math.min(...batch.map(({ call }) => claimedSince(call)));
      results = await this.kommo.logCalls(accountId, batch.map(({ record }) => record), this.windowFrom(claimedAt));
    } catch (error) {
      await this.failAll(batch, error);
      throw error;
    }
    if (results.length !== batch.length) {
      const error = new Error(`Kommo returned ${results.length} results for ${batch.length} calls`);
      await this.failAll(batch, error);
      throw error;
    }
    return results;
  }

  private async failAll(batch: readonly Claimed[], error: unknown): Promise<void> {
    for (const { call } of batch) await this.recordFailure(call, error);
  }

  private async recordFailure(call: Call, error: unknown): Promise<Call> {
    const now = this.clock.now();
    return this.record(call, (fresh) =>
      error instanceof KommoWriteNotAppliedError ? fresh.deliveryNotApplied(describe(error)) : fresh.deliveryAmbiguous(describe(error), now),
    );
  }

  private async unknownNumber(call: Call, record: KommoCallRecord, settings: AccountSettings): Promise<AddCallItemResult> {
    switch (settings.unknownNumberPolicy) {
      case UnknownNumberPolicy.Ignore: {
        const skipped = await this.record(call, (fresh) => fresh.skipDelivery(DeliverySkipReason.UnknownNumberIgnored, this.clock.now()));
        await this.followUp(skipped, settings);
        return ok(call.id, 'unknown_number_ignored');
      }
      case UnknownNumberPolicy.CreateContact:
        // The contact is made (once, under the number's lock); the call, still pending, is then logged by
        // Kommo's own attach algorithm on the next attempt — the same path as any known number.
        try {
          const responsible = record.responsibleUserId ?? settings.defaultResponsibleUserId;
          const { created } = await this.underNumberLock(call, record, () =>
            this.contacts.findOrCreateForNumber(call.accountId, record.phone, responsible),
          );
          return { callId: call.id, outcome: 'contact_created', retryable: true, detail: created ? 'contact created: log the call on it' : 'contact found: log the call on it' };
        } catch (error) {
          return retry(call.id, describe(error));
        }
      case UnknownNumberPolicy.IncomingLead:
        try {
          return await this.underNumberLock(call, record, () => this.toIncomingLead(call, record, settings));
        } catch (error) {
          return retry(call.id, describe(error));
        }
    }
  }

  /** One unknown-number decision per number at a time (one incoming lead / one contact per number). */
  private underNumberLock<T>(call: Call, record: KommoCallRecord, work: () => Promise<T>): Promise<T> {
    return this.lock.run(`voip-unknown-number-${call.accountId}-${record.phone}`, { ttlMs: this.options.lockTtlMs, waitMs: this.options.lockWaitMs }, work);
  }

  /** Under the number's lock: note on its pending incoming lead, else create one. */
  private async toIncomingLead(call: Call, record: KommoCallRecord, settings: AccountSettings): Promise<AddCallItemResult> {
    let current = call;
    for (let round = 0; round < 2; round += 1) {
      const pending = await this.leads.findPendingForNumber(current.accountId, record.phone);
      if (pending && pending.uniq === current.id) {
        // Our own lead (created by an attempt whose outcome we never recorded).
        current = await this.record(current, (fresh) => {
          fresh.claimDelivery(KommoWriteTarget.IncomingLead, rawFields(fresh), this.clock.now());
          fresh.deliveryToIncomingLead(pending, null, this.clock.now());
        });
        await this.followUp(current, settings);
        return ok(current.id, 'incoming_lead_created');
      }
      if (pending) {
        const lead = { unsortedUid: pending.unsortedUid, leadId: pending.leadId };
        current = await this.claim(current, KommoWriteTarget.PendingLeadNote, lead);
        try {
          const note = await this.kommo.addCallNote(current.accountId, { type: 'lead', id: lead.leadId }, record, this.windowFrom(claimedSince(current)));
          current = await this.record(current, (fresh) => fresh.deliveryToIncomingLead(lead, note, this.clock.now()));
        } catch (error) {
          await this.recordFailure(current, error);
          throw error;
        }
        await this.followUp(current, settings);
        return ok(current.id, 'noted_on_pending_incoming_lead');
      }
      current = await this.claim(current, KommoWriteTarget.IncomingLead, null);
      let created;
      try {
        created = await this.leads.createSip(current.accountId, record, this.windowFrom(claimedSince(current)));
      } catch (error) {
        await this.recordFailure(current, error);
        throw error;
      }
      if (created.kind === 'created') {
        const lead = { unsortedUid: created.unsortedUid, leadId: created.leadId };
        current = await this.record(current, (fresh) => fresh.deliveryToIncomingLead(lead, null, this.clock.now()));
        await this.followUp(current, settings);
        return ok(current.id, 'incoming_lead_created');
      }
      // Kommo already holds an incoming lead for this number that our read did not see: look again.
      current = await this.record(current, (fresh) => fresh.deliveryNotApplied('duplicate incoming lead'));
    }
    return retry(current.id, 'Kommo reports a duplicate incoming lead that cannot be found');
  }

  private windowFrom(claimedAt: number): KommoWriteWindow {
    return { sendBy: new Date(claimedAt + this.options.sendWindowMs) };
  }

  private async claim(call: Call, target: KommoWriteTarget, lead: { unsortedUid: string; leadId: number } | null): Promise<Call> {
    call.claimDelivery(target, rawFields(call), this.clock.now(), lead);
    await this.calls.save(call);
    return call;
  }

  private async record(call: Call, change: (fresh: Call) => void): Promise<Call> {
    const saved = await mutateCall(this.calls, call.accountId, call.id, change, { current: call });
    if (!saved) throw new CallVersionConflictError(call.id);
    return saved;
  }

  private async followUp(call: Call, settings: AccountSettings): Promise<void> {
    for (const task of tasksAfterDelivery(call, settings)) await this.tasks.enqueue(task);
  }
}

/** When the call's current write was claimed. */
function claimedSince(call: Call): number {
  const delivery = call.delivery;
  if (delivery.status !== KommoDeliveryStatus.Sending) throw new Error(`call ${call.id} has no claimed write`);
  return delivery.since.getTime();
}

function rawFields(call: Call) {
  const fields = call.kommoFields;
  if (!fields) throw new Error(`call ${call.id} is not ready to log`);
  return fields;
}

function ok(callId: string, outcome: AddCallOutcome): AddCallItemResult {
  return { callId, outcome, retryable: false };
}

function retry(callId: string, detail: string): AddCallItemResult {
  return { callId, outcome: 'retry_later', retryable: true, detail };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
