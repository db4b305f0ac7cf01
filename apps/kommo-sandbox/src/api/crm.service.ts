import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '../http/problem';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from '../sandbox-options';
import { CompanyRecord, ContactRecord, CustomFieldValueRecord, EntityPlural, EntitySingular, LeadRecord, NoteRecord } from '../store/model';
import { digitsOf } from '../store/phone';
import { EMAIL_ENUMS, EMAIL_FIELD_ID, PHONE_ENUMS, PHONE_FIELD_ID, phonesOf, SandboxStore } from '../store/sandbox-store';
import { err, Item } from './body';
import { WebhookSender } from './webhook.sender';
import { asText } from '../store/text';

export interface AttachTarget {
  readonly type: EntitySingular;
  readonly id: number;
  readonly name: string;
}

/** CRM rules shared by the API controllers: custom fields, search, Kommo's call-attach algorithm. */
@Injectable()
export class CrmService {
  constructor(
    private readonly store: SandboxStore,
    private readonly webhooks: WebhookSender,
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
  ) {}

  get assumptions(): ResolvedSandboxOptions['assumptions'] {
    return this.options.assumptions;
  }

  /** `custom_fields_values` of a write → records (PHONE/EMAIL by field_code or field_id), or validation errors. */
  parseCustomFields(input: unknown, path: string, errors: ValidationError[]): CustomFieldValueRecord[] | null {
    if (input === undefined) return null;
    if (!Array.isArray(input)) {
      errors.push(err.type(path, 'array'));
      return null;
    }
    const fields: CustomFieldValueRecord[] = [];
    input.forEach((raw: unknown, index) => {
      const field = (raw ?? {}) as Item;
      const code = field.field_code === 'PHONE' || field.field_id === PHONE_FIELD_ID ? 'PHONE' : field.field_code === 'EMAIL' || field.field_id === EMAIL_FIELD_ID ? 'EMAIL' : null;
      if (!code) {
        errors.push(err.choice(`${path}.${index}.field_id`));
        return;
      }
      if (!Array.isArray(field.values)) {
        errors.push(err.type(`${path}.${index}.values`, 'array'));
        return;
      }
      const enums = code === 'PHONE' ? PHONE_ENUMS : EMAIL_ENUMS;
      const values = (field.values as unknown[]).map((rawValue, valueIndex) => {
        const value = (rawValue ?? {}) as Item;
        if (typeof value.value !== 'string' && typeof value.value !== 'number') errors.push(err.required(`${path}.${index}.values.${valueIndex}.value`));
        const byId = Object.entries(enums).find(([, id]) => id === value.enum_id)?.[0];
        const enumCode = typeof value.enum_code === 'string' ? value.enum_code : (byId ?? 'WORK');
        if (enums[enumCode] === undefined) errors.push(err.choice(`${path}.${index}.values.${valueIndex}.enum_code`));
        return { value: asText(value.value), enumCode, enumId: enums[enumCode] ?? null };
      });
      fields.push({
        fieldId: code === 'PHONE' ? PHONE_FIELD_ID : EMAIL_FIELD_ID,
        fieldName: code === 'PHONE' ? 'Phone' : 'Email',
        fieldCode: code,
        fieldType: 'multitext',
        values,
      });
    });
    return fields;
  }

  /** Sending a field's values replaces that field's whole set; `values: []` clears it. */
  mergeCustomFields(current: CustomFieldValueRecord[], incoming: CustomFieldValueRecord[]): CustomFieldValueRecord[] {
    const merged = current.filter((field) => !incoming.some((next) => next.fieldId === field.fieldId));
    return [...merged, ...incoming.filter((field) => field.values.length > 0)];
  }

  /** `?query=`: substring of names/emails; for phones a suffix match on the last N digits (≥ N digits given). */
  matchesQuery(record: ContactRecord | CompanyRecord | LeadRecord, query: string): boolean {
    const text = query.trim().toLowerCase();
    if (!text) return true;
    if (String(record.id) === text) return true;
    if (record.name.toLowerCase().includes(text)) return true;
    const values = record.customFields.flatMap((field) => field.values.map((value) => value.value));
    if (values.some((value) => value.toLowerCase().includes(text))) return true;
    const digits = digitsOf(text);
    const n = this.options.assumptions.queryMatchDigits;
    if (digits.length >= n && 'customFields' in record) {
      const phones = record.customFields.filter((field) => field.fieldCode === 'PHONE').flatMap((field) => field.values.map((value) => digitsOf(value.value)));
      return phones.some((phone) => phone.length >= n && (phone.endsWith(digits.slice(-n)) || phone.includes(digits)));
    }
    return false;
  }

  /**
   * §4.3: contacts (oldest first), then companies, matching the last N digits; one active lead → the
   * lead; otherwise the contact/company; nothing → null (the call is not stored).
   */
  attachTarget(accountId: number, phone: string): AttachTarget | null {
    return this.resolve(accountId, phone, this.options.assumptions.callMatchDigits);
  }

  /** §7.1: same idea on the last 8 digits, used by `POST /api/v2/events`. */
  eventTarget(accountId: number, phone: string): AttachTarget | null {
    return this.resolve(accountId, phone, this.options.assumptions.eventMatchDigits);
  }

  private resolve(accountId: number, phone: string, digits: number): AttachTarget | null {
    const contact = this.store.findByPhone(this.store.crm.contacts.values(), accountId, phone, digits)[0];
    if (contact) {
      const active = this.store.leadsOfContact(contact.id).filter((lead) => this.store.isActiveLead(lead));
      if (active.length === 1) return { type: 'lead', id: active[0].id, name: active[0].name };
      return { type: 'contact', id: contact.id, name: contact.name };
    }
    const company = this.store.findByPhone(this.store.crm.companies.values(), accountId, phone, digits)[0];
    if (company) {
      const active = this.store.leadsOfCompany(company.id).filter((lead) => this.store.isActiveLead(lead));
      if (active.length === 1) return { type: 'lead', id: active[0].id, name: active[0].name };
      return { type: 'company', id: company.id, name: company.name };
    }
    return null;
  }

  entityExists(accountId: number, type: EntityPlural, id: number): boolean {
    if (type === 'leads') return this.store.lead(accountId, id) !== undefined;
    if (type === 'contacts') return this.store.contact(accountId, id) !== undefined;
    return this.store.company(accountId, id) !== undefined;
  }

  addNote(note: Omit<NoteRecord, 'id'>): NoteRecord {
    const record: NoteRecord = { ...note, id: this.store.crm.nextId('note') };
    this.store.crm.notes.set(record.id, record);
    const singular = note.entityType === 'leads' ? 'lead' : note.entityType === 'contacts' ? 'contact' : 'company';
    this.emitNote(record, singular);
    return record;
  }

  emitNote(note: NoteRecord, singular: EntitySingular): void {
    const key = singular === 'lead' ? 'leads' : 'contacts';
    this.webhooks.emit(note.accountId, `note_${singular}`, {
      [key]: {
        note: [
          {
            note: {
              id: note.id,
              text: JSON.stringify(note.params),
              note_type: note.noteType === 'call_in' ? 10 : note.noteType === 'call_out' ? 11 : 4,
              element_type: singular === 'contact' ? 1 : singular === 'lead' ? 2 : 3,
              element_id: note.entityId,
              created_by: note.createdBy,
              date_create: note.createdAt,
              account_id: note.accountId,
            },
          },
        ],
      },
    });
  }

  emitEntity(accountId: number, event: 'add' | 'update' | 'status' | 'responsible', record: ContactRecord | CompanyRecord | LeadRecord, kind: EntitySingular, extra: Item = {}): void {
    const key = kind === 'lead' ? 'leads' : 'contacts';
    const base: Item = {
      id: record.id,
      name: record.name,
      responsible_user_id: record.responsibleUserId,
      date_create: record.createdAt,
      last_modified: record.updatedAt,
      created_user_id: record.createdBy,
      modified_user_id: record.updatedBy,
      account_id: accountId,
      created_at: record.createdAt,
      updated_at: record.updatedAt,
      custom_fields: record.customFields.map((field) => ({ id: field.fieldId, name: field.fieldName, code: field.fieldCode, values: field.values.map((value) => ({ value: value.value, enum: value.enumId })) })),
      ...extra,
    };
    if (kind === 'lead') {
      const lead = record as LeadRecord;
      Object.assign(base, { status_id: lead.statusId, pipeline_id: lead.pipelineId, price: lead.price });
    } else {
      base.type = kind;
      if (kind === 'company') base.linked_leads_id = Object.fromEntries(this.store.leadsOfCompany(record.id).map((lead) => [lead.id, { ID: lead.id }]));
    }
    this.webhooks.emit(accountId, `${event}_${kind}`, { [key]: { [event]: [base] } });
  }

  phonesOf(record: ContactRecord | CompanyRecord): string[] {
    return phonesOf(record);
  }
}
