import {
  CallBatchTooLargeError,
  CallDirection,
  E164,
  KommoAccessTokens,
  KommoCallLog,
  KommoCallLogResult,
  KommoCallNoteReadBack,
  KommoCallRecord,
  KommoEntityRef,
  KommoNoteRef,
  KommoWriteWindow,
  kommoNoteTypeOf,
} from '@app/domain';
import { KommoHttp, KommoResponse } from '../kommo-http';
import { KommoApiError } from '../kommo.errors';
import {
  callItemOf,
  callItemProblem,
  callNoteParamsOf,
  callNoteTypeOf,
  ENTITY_PLURAL,
  entityRef,
  phoneQueryOf,
  positiveInt,
  unixSeconds,
} from './kommo-call.wire';
import { asRecord, KommoRawApiClient, KommoWriteRefusedError, readAllPages, readPages, writeFailure } from './kommo-raw-api.client';

/** Kommo's recommended write batch (kommo-api.md §10); the domain never sends more. */
export const MAX_KOMMO_CALLS_PER_REQUEST = 50;

const ENTITY_NOT_FOUND = 'entity not found';

/**
 * Batch read-back reads at most this many pages (250 notes each) of call notes per entity type; a busier window
 * leaves the read incomplete and the calls not found are then searched one by one.
 */
const READ_BACK_MAX_PAGES = 12;

/** Where /calls puts a call (§4.3; customers are not in Kommo's current docs). */
const CALL_NOTE_HOLDERS = ['lead', 'contact', 'company'] as const;

/**
 * `KommoCallLog` over Kommo's HTTP API (kommo-api.md §3–§5): one `POST /api/v4/calls` per batch, read-back of
 * our call notes by `uniq`, call notes on a known entity.
 *
 * Failure contract of writes: `KommoWriteNotAppliedError` (as `KommoWriteRefusedError`) only when Kommo
 * refused the whole request or it was never sent; 5xx/504/timeouts/dropped connections surface as
 * `KommoApiError` (ambiguous → the domain reconciles). No batch is ever split or resent here.
 */
export class KommoCallLogAdapter implements KommoCallLog {
  private readonly api: KommoRawApiClient;

  constructor(http: KommoHttp, tokens: KommoAccessTokens) {
    this.api = new KommoRawApiClient(http, tokens);
  }

  async logCalls(accountId: number, records: readonly KommoCallRecord[], window?: KommoWriteWindow): Promise<KommoCallLogResult[]> {
    if (records.length > MAX_KOMMO_CALLS_PER_REQUEST) throw new CallBatchTooLargeError(records.length, MAX_KOMMO_CALLS_PER_REQUEST);
    const results: (KommoCallLogResult | undefined)[] = records.map((record) => {
      const problem = callItemProblem(record);
      return problem === null ? undefined : { kind: 'rejected', detail: problem };
    });
    const writtenAt = new Date();
    const items = records.flatMap((record, index) => (results[index] ? [] : [callItemOf(record, index, writtenAt)]));
    if (items.length === 0) return results as KommoCallLogResult[];

    const response = await this.api.write(accountId, { method: 'POST', path: '/api/v4/calls', body: items, sendBy: window?.sendBy.getTime() });
    const answered = callResultsOf(response, items.map((item) => Number(item.request_id)));
    if (!answered) {
      const failure = writeFailure(response);
      // Kommo named every item it refused, and that is all we sent: each is refused for good.
      if (failure instanceof KommoWriteRefusedError && items.every((item) => failure.itemErrors.has(Number(item.request_id)))) {
        for (const [index, detail] of failure.itemErrors) if (index < records.length) results[index] = { kind: 'rejected', detail };
        return results as KommoCallLogResult[];
      }
      throw failure;
    }
    for (const [index, result] of answered) {
      if (index >= 0 && index < records.length && results[index] === undefined) results[index] = result;
    }
    const missing = results.flatMap((result, index) => (result === undefined ? [index] : []));
    if (missing.length > 0) {
      // Kommo answered but said nothing about these calls: they may or may not be stored.
      throw new KommoApiError(response.status, `/calls answer has no result for request_id ${missing.join(', ')}`, true);
    }
    return results as KommoCallLogResult[];
  }

  async findCallNoteByUniq(
    accountId: number,
    query: { readonly uniq: string; readonly phone: E164; readonly direction: CallDirection; readonly entity?: KommoEntityRef },
  ): Promise<KommoNoteRef | null> {
    const noteType = kommoNoteTypeOf(query.direction);
    const entities = query.entity ? [query.entity] : await this.entitiesOfPhone(accountId, query.phone);
    for (const entity of entities) {
      const notes = await readAllPages<Record<string, unknown>>(
        this.api,
        accountId,
        `/api/v4/${ENTITY_PLURAL[entity.type]}/${entity.id}/notes?filter[note_type][]=${noteType}&order[id]=asc`,
        'notes',
      );
      const ours = notes.find((note) => note.note_type === noteType && asRecord(note.params)?.uniq === query.uniq);
      const noteId = positiveInt(ours?.id);
      if (noteId !== null) return { entity, noteId };
    }
    return null;
  }

  /**
   * Call notes written since `writtenSince`, per entity type, matched on params.uniq. Relies on a stored call's
   * note carrying `updated_at` ≥ its write time: /calls items send `updated_at` = the write time (a documented
   * field, §4.1) — that Kommo keeps it on the note, and filters notes by it (§5), is UNCONFIRMED; the caller's
   * margin also covers Kommo setting its own clock's time.
   */
  async findCallNotesByUniqs(accountId: number, query: { readonly uniqs: readonly string[]; readonly writtenSince: Date }): Promise<KommoCallNoteReadBack> {
    const wanted = new Set(query.uniqs);
    const found = new Map<string, KommoNoteRef>();
    let complete = true;
    const from = Math.max(0, unixSeconds(query.writtenSince));
    for (const type of CALL_NOTE_HOLDERS) {
      if (found.size === wanted.size) break;
      const { items, complete: read } = await readPages<Record<string, unknown>>(
        this.api,
        accountId,
        `/api/v4/${ENTITY_PLURAL[type]}/notes?filter[note_type][]=call_in&filter[note_type][]=call_out&filter[updated_at][from]=${from}&order[id]=asc`,
        'notes',
        { maxPages: READ_BACK_MAX_PAGES },
      );
      complete &&= read;
      for (const note of items) {
        const uniq = asRecord(note.params)?.uniq;
        const noteId = positiveInt(note.id);
        const entityId = positiveInt(note.entity_id);
        if (typeof uniq !== 'string' || !wanted.has(uniq) || found.has(uniq) || noteId === null || entityId === null) continue;
        found.set(uniq, { entity: { type, id: entityId }, noteId });
      }
    }
    return { found, complete: complete || found.size === wanted.size };
  }

  async addCallNote(accountId: number, entity: KommoEntityRef, record: KommoCallRecord, window?: KommoWriteWindow): Promise<KommoNoteRef> {
    const note: Record<string, unknown> = {
      entity_id: entity.id,
      note_type: callNoteTypeOf(record),
      params: callNoteParamsOf(record),
      request_id: '0',
    };
    const createdAt = unixSeconds(record.startedAt);
    if (createdAt > 0) note.created_at = createdAt;
    if (record.responsibleUserId !== null) {
      note.created_by = record.responsibleUserId;
      note.responsible_user_id = record.responsibleUserId;
    }
    const response = await this.api.write(accountId, { method: 'POST', path: `/api/v4/${ENTITY_PLURAL[entity.type]}/notes`, body: [note], sendBy: window?.sendBy.getTime() });
    if (response.status !== 200) throw writeFailure(response);
    const created = asRecord(response.body)?._embedded;
    const list = asRecord(created)?.notes;
    const noteId = positiveInt(Array.isArray(list) ? asRecord(list[0])?.id : undefined);
    if (noteId === null) throw new KommoApiError(response.status, 'note created without an id in the answer', true);
    return { entity, noteId };
  }

  async updateCallNote(accountId: number, note: KommoNoteRef, record: KommoCallRecord): Promise<void> {
    // The whole params object, not a diff: Kommo documents PATCH with `note_type` + `params`, and whether it
    // merges or replaces params is unconfirmed. Sending the same body twice is harmless.
    const response = await this.api.write(accountId, {
      method: 'PATCH',
      path: `/api/v4/${ENTITY_PLURAL[note.entity.type]}/notes/${note.noteId}`,
      body: { note_type: callNoteTypeOf(record), params: callNoteParamsOf(record) },
    });
    if (response.status !== 200) throw writeFailure(response);
  }

  /**
   * Where Kommo may have put a call for this number (§4.3): the matching contacts and companies, their leads
   * and the contacts' companies. Over-inclusive on purpose — only a note with our `uniq` counts, and missing
   * the right entity would turn into a duplicate call.
   */
  private async entitiesOfPhone(accountId: number, phone: E164): Promise<KommoEntityRef[]> {
    const search = `query=${encodeURIComponent(phoneQueryOf(phone))}&with=leads`;
    const contacts = await readAllPages<Record<string, unknown>>(this.api, accountId, `/api/v4/contacts?${search}`, 'contacts', { maxPages: 4 });
    const companies = await readAllPages<Record<string, unknown>>(this.api, accountId, `/api/v4/companies?${search}`, 'companies', { maxPages: 4 });
    const leads = new Map<number, KommoEntityRef>();
    const owners = new Map<string, KommoEntityRef>();
    const companyRefs = new Map<number, KommoEntityRef>();
    const add = (target: Map<number, KommoEntityRef>, ref: KommoEntityRef | null) => ref && target.set(ref.id, ref);
    for (const contact of contacts) {
      const ref = entityRef('contact', contact.id);
      if (ref) owners.set(`contact:${ref.id}`, ref);
      const embedded = asRecord(contact._embedded);
      for (const lead of embeddedList(embedded?.leads)) add(leads, entityRef('lead', lead.id));
      for (const company of embeddedList(embedded?.companies)) add(companyRefs, entityRef('company', company.id));
    }
    for (const company of companies) {
      add(companyRefs, entityRef('company', company.id));
      for (const lead of embeddedList(asRecord(company._embedded)?.leads)) add(leads, entityRef('lead', lead.id));
    }
    // Leads first: with exactly one active lead that is where /calls puts the call.
    return [...leads.values(), ...owners.values(), ...companyRefs.values()];
  }
}

function embeddedList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map((item) => asRecord(item)).filter((item): item is Record<string, unknown> => item !== null) : [];
}

/**
 * The per-item results of a /calls answer, keyed by batch index (= our request_id), or null when the answer is
 * not a /calls result (then the status decides). 200 = some stored (+ `errors` for the rest); 400 with the same
 * shape = none stored, every item "Entity not found" (fact sheet §4.4, sandbox). Error items without a usable
 * request_id (their keys are UNCONFIRMED) are matched in order to the sent items nobody answered for, but only
 * when the counts agree; otherwise those items stay unanswered (→ ambiguous).
 */
function callResultsOf(response: KommoResponse, sent: readonly number[]): Map<number, KommoCallLogResult> | null {
  const body = asRecord(response.body);
  if (!body || (response.status !== 200 && response.status !== 400)) return null;
  const calls = embeddedList(asRecord(body._embedded)?.calls);
  const errors = embeddedList(body.errors);
  if (response.status === 400 && (errors.length === 0 || calls.length > 0)) return null; // validation, empty body, …
  if (response.status === 200 && !asRecord(body._embedded) && !Array.isArray(body.errors)) return null;
  const sentSet = new Set(sent);
  const results = new Map<number, KommoCallLogResult>();
  for (const raw of calls) {
    const index = requestIndexOf(raw.request_id);
    const entity = entityRef(raw.entity_type, raw.entity_id);
    const noteId = positiveInt(raw.id);
    if (index === null || !sentSet.has(index) || !entity || noteId === null) continue;
    results.set(index, { kind: 'logged', note: { entity, noteId } });
  }
  const unnamed: KommoCallLogResult[] = [];
  for (const raw of errors) {
    const title = typeof raw.title === 'string' ? raw.title : '';
    const detail = [raw.title, raw.detail].filter((part) => typeof part === 'string').join(': ') || 'refused';
    const result: KommoCallLogResult = title.trim().toLowerCase() === ENTITY_NOT_FOUND ? { kind: 'entity_not_found' } : { kind: 'rejected', detail };
    const index = requestIndexOf(raw.request_id);
    if (index !== null && sentSet.has(index)) {
      if (!results.has(index)) results.set(index, result);
    } else {
      unnamed.push(result);
    }
  }
  const unanswered = sent.filter((index) => !results.has(index));
  if (unnamed.length > 0 && unnamed.length === unanswered.length) unanswered.forEach((index, position) => results.set(index, unnamed[position]));
  return results;
}

function requestIndexOf(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : null;
}
