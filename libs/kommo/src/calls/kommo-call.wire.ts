import { CallDirection, E164, KOMMO_CALL_STATUSES, KommoCallRecord, KommoEntityRef, KommoEntityType, kommoNoteTypeOf } from '@app/domain';
import { asRecord } from './kommo-raw-api.client';

/** Kommo URLs name entities in the plural; the /calls answer in the singular (kommo-api.md §10). */
export const ENTITY_PLURAL: Record<KommoEntityType, string> = {
  lead: 'leads',
  contact: 'contacts',
  company: 'companies',
  customer: 'customers',
};

const ENTITY_TYPES: readonly string[] = Object.keys(ENTITY_PLURAL);

export function isEntityType(value: unknown): value is KommoEntityType {
  return typeof value === 'string' && ENTITY_TYPES.includes(value);
}

export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/**
 * One item of `POST /api/v4/calls` (kommo-api.md §4.1). `request_id` = the index in the batch; `updated_at` = the
 * write time (when given), so that a reconciliation read can list the notes written since an attempt.
 */
export function callItemOf(record: KommoCallRecord, index: number, writtenAt?: Date): Record<string, unknown> {
  const item: Record<string, unknown> = {
    direction: record.direction === CallDirection.Inbound ? 'inbound' : 'outbound',
    phone: record.phone,
    source: record.source,
    duration: record.fields.durationSeconds,
    call_status: record.fields.callStatus,
    uniq: record.uniq,
    request_id: String(index),
  };
  if (record.fields.callResult !== null) item.call_result = record.fields.callResult;
  if (record.recordingLink !== null) item.link = record.recordingLink;
  const createdAt = unixSeconds(record.startedAt);
  if (createdAt > 0) item.created_at = createdAt;
  if (writtenAt) item.updated_at = Math.max(unixSeconds(writtenAt), createdAt);
  if (record.responsibleUserId !== null) {
    item.responsible_user_id = record.responsibleUserId;
    item.created_by = record.responsibleUserId; // else Kommo's statistics credit the robot (§4.1)
    item.call_responsible = record.responsibleUserId;
  }
  return item;
}

/** `params` of a call_in / call_out note (kommo-api.md §5): the same fields as the /calls item. */
export function callNoteParamsOf(record: KommoCallRecord): Record<string, unknown> {
  const params: Record<string, unknown> = {
    uniq: record.uniq,
    duration: record.fields.durationSeconds,
    source: record.source,
    phone: record.phone,
    call_status: record.fields.callStatus,
  };
  if (record.recordingLink !== null) params.link = record.recordingLink;
  if (record.fields.callResult !== null) params.call_result = record.fields.callResult;
  if (record.responsibleUserId !== null) params.call_responsible = record.responsibleUserId;
  return params;
}

export function callNoteTypeOf(record: KommoCallRecord): 'call_in' | 'call_out' {
  return kommoNoteTypeOf(record.direction);
}

/**
 * Kommo's own validation of a /calls item (§12 item 3), checked before sending: one bad item fails the whole
 * request with a 400, so it is reported `rejected` and kept out of the batch. null = fine.
 */
export function callItemProblem(record: KommoCallRecord): string | null {
  const problems: string[] = [];
  if (!digitsOf(record.phone)) problems.push('phone: empty');
  if (!record.source.trim()) problems.push('source: empty');
  if (!Number.isInteger(record.fields.durationSeconds) || record.fields.durationSeconds < 0) problems.push('duration: not a non-negative integer');
  if (!KOMMO_CALL_STATUSES.includes(record.fields.callStatus)) problems.push(`call_status: ${record.fields.callStatus} not in 1..7`);
  if (record.direction !== CallDirection.Inbound && record.direction !== CallDirection.Outbound) problems.push('direction: not inbound/outbound');
  if (record.responsibleUserId !== null && !Number.isInteger(record.responsibleUserId)) problems.push('responsible_user_id: not an integer');
  if (Number.isNaN(record.startedAt.getTime())) problems.push('created_at: invalid date');
  return problems.length > 0 ? problems.join('; ') : null;
}

export function digitsOf(value: string): string {
  return value.replace(/\D+/g, '');
}

/** What we pass to `?query=`: the last 10 digits (Kommo's attach key, §4.3), so national formats match too. */
export function phoneQueryOf(phone: E164): string {
  return digitsOf(phone).slice(-10);
}

/**
 * Whether a stored phone (any human format: "8 (916) 123-45-67", "0044 20 7946 0958") is our E.164 number, the
 * way Kommo's attach algorithm compares them: equal last 10 digits (all digits for shorter numbers). Kommo's
 * `?query=` is a substring/suffix search, so every hit is checked with this.
 */
export function samePhone(stored: string, phone: E164): boolean {
  const ours = digitsOf(phone);
  const theirs = digitsOf(stored);
  const n = Math.min(10, ours.length);
  return theirs.length >= n && theirs.slice(-n) === ours.slice(-n) && (ours.length >= 10 || theirs.length === ours.length);
}

/** Phone values of an entity's PHONE multitext field (`custom_fields_values` may be null). */
export function phonesOfEntity(entity: Record<string, unknown>): string[] {
  const fields = Array.isArray(entity.custom_fields_values) ? entity.custom_fields_values : [];
  return fields
    .map((field) => asRecord(field))
    .filter((field): field is Record<string, unknown> => field !== null && field.field_code === 'PHONE')
    .flatMap((field) => (Array.isArray(field.values) ? field.values : []))
    .map((value) => asRecord(value)?.value)
    .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
    .map(String);
}

export function entityRef(type: unknown, id: unknown): KommoEntityRef | null {
  return isEntityType(type) && typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? { type, id } : null;
}

export function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}
