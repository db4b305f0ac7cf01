import {
  CreateIncomingLeadResult,
  E164,
  IncomingLeads,
  KommoAccessTokens,
  KommoCallRecord,
  KommoWriteWindow,
  PendingIncomingLead,
} from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { KommoApiError } from '../kommo.errors';
import { digitsOf, positiveInt, unixSeconds } from './kommo-call.wire';
import { asRecord, KommoRawApiClient, readAllPages, writeFailure } from './kommo-raw-api.client';

export interface KommoIncomingLeadsOptions {
  /** `source_uid`: our source identifier in Kommo (required by Kommo). */
  readonly sourceUid: string;
  /** The pipeline whose "Incoming leads" stage gets the lead; null / absent = Kommo's main pipeline. */
  readonly pipelineIdOf?: (accountId: number) => Promise<number | null>;
}

export const DEFAULT_KOMMO_INCOMING_LEADS_OPTIONS: KommoIncomingLeadsOptions = { sourceUid: 'kommo-voip' };

/**
 * `IncomingLeads` over Kommo's unsorted API, category `sip` (kommo-api.md §6). The call travels in `metadata`
 * (uniq = our call id, so a lost answer can be reconciled by `findPendingForNumber`), and the lead gets a contact
 * with the caller's number, so that once a manager accepts it Kommo's /calls finds the number.
 */
export class KommoIncomingLeadsAdapter implements IncomingLeads {
  private readonly api: KommoRawApiClient;

  constructor(
    http: KommoHttp,
    tokens: KommoAccessTokens,
    private readonly options: KommoIncomingLeadsOptions = DEFAULT_KOMMO_INCOMING_LEADS_OPTIONS,
  ) {
    this.api = new KommoRawApiClient(http, tokens);
  }

  async createSip(accountId: number, record: KommoCallRecord, window?: KommoWriteWindow): Promise<CreateIncomingLeadResult> {
    const pipelineId = this.options.pipelineIdOf ? await this.options.pipelineIdOf(accountId) : null;
    const calledAt = unixSeconds(record.startedAt);
    const metadata: Record<string, unknown> = {
      uniq: record.uniq,
      from: record.phone,
      phone: record.phone,
      duration: record.fields.durationSeconds,
      service_code: record.source,
      is_call_event_needed: true,
    };
    if (calledAt > 0) metadata.called_at = calledAt;
    if (record.recordingLink !== null) metadata.link = record.recordingLink;
    if (record.responsibleUserId !== null) metadata.call_responsible = record.responsibleUserId;
    const lead: Record<string, unknown> = { name: `Call from ${record.phone}` };
    if (record.responsibleUserId !== null) lead.responsible_user_id = record.responsibleUserId;
    const item: Record<string, unknown> = {
      source_uid: this.options.sourceUid,
      source_name: record.source,
      request_id: '0',
      metadata,
      _embedded: {
        leads: [lead],
        contacts: [{ name: record.phone, custom_fields_values: [{ field_code: 'PHONE', values: [{ value: record.phone, enum_code: 'WORK' }] }] }],
      },
    };
    if (pipelineId !== null) item.pipeline_id = pipelineId;
    if (calledAt > 0) item.created_at = calledAt;

    const response = await this.api.write(accountId, { method: 'POST', path: '/api/v4/leads/unsorted/sip', body: [item], sendBy: window?.sendBy.getTime() });
    if (response.status === 200) {
      const unsorted = asRecord(response.body)?._embedded;
      const created = asRecord(Array.isArray(asRecord(unsorted)?.unsorted) ? (asRecord(unsorted)!.unsorted as unknown[])[0] : undefined);
      const uid = created?.uid;
      const leads = asRecord(created?._embedded)?.leads;
      const leadId = positiveInt(Array.isArray(leads) ? asRecord(leads[0])?.id : undefined);
      if (typeof uid !== 'string' || !uid || leadId === null) throw new KommoApiError(200, 'incoming lead created without uid/lead id in the answer', true);
      return { kind: 'created', unsortedUid: uid, leadId };
    }
    if (response.status === 400 && isDuplicateRefusal(response.body)) return { kind: 'duplicate' };
    throw writeFailure(response);
  }

  async findPendingForNumber(accountId: number, phone: E164): Promise<PendingIncomingLead | null> {
    const items = await readAllPages<Record<string, unknown>>(
      this.api,
      accountId,
      '/api/v4/leads/unsorted?filter[category][]=sip&order[created_at]=asc',
      'unsorted',
    );
    const ours = digitsOf(phone);
    const matching = items
      .filter((item) => {
        const metadata = asRecord(item.metadata) ?? {};
        return [metadata.phone, metadata.from].some((value) => (typeof value === 'string' || typeof value === 'number') && digitsOf(String(value)) === ours);
      })
      .sort((a, b) => Number(a.created_at ?? 0) - Number(b.created_at ?? 0));
    for (const item of matching) {
      const leads = asRecord(item._embedded)?.leads;
      const leadId = positiveInt(Array.isArray(leads) ? asRecord(leads[0])?.id : undefined);
      if (typeof item.uid !== 'string' || leadId === null) continue;
      const uniq = asRecord(item.metadata)?.uniq;
      return { unsortedUid: item.uid, leadId, uniq: typeof uniq === 'string' && uniq !== '' ? uniq : null };
    }
    return null;
  }
}

/**
 * Kommo: "There can't be 2 identical entities in Incoming leads" — a 400 whose validation errors say so
 * (the exact shape is UNCONFIRMED; the sandbox answers code `Duplicate`, detail "There can not be 2 identical
 * entities in incoming leads.").
 */
function isDuplicateRefusal(body: unknown): boolean {
  const text = JSON.stringify(asRecord(body)?.['validation-errors'] ?? asRecord(body)?.detail ?? '').toLowerCase();
  return /"code":"duplicate"|identical entit|duplicate/.test(text);
}
