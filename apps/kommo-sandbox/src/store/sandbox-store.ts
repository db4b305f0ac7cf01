import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { demoSeed, emptySeed } from '../seed/demo.seed';
import { SeedDefinition, SeedPhone } from '../seed/seed.types';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from '../sandbox-options';
import {
  AccountRecord,
  CompanyRecord,
  ContactRecord,
  CustomFieldValueRecord,
  LeadRecord,
  NoteRecord,
  NotificationRecord,
  PipelineRecord,
  StoredCall,
  TaskRecord,
  UnsortedRecord,
  UserRecord,
  WebhookDelivery,
  WebhookRecord,
  WidgetRecord,
} from './model';
import { sameLastDigits } from './phone';

export const PHONE_FIELD_ID = 170001;
export const EMAIL_FIELD_ID = 170002;
export const PHONE_ENUMS: Record<string, number> = { WORK: 180001, WORKDD: 180002, MOB: 180003, FAX: 180004, HOME: 180005, OTHER: 180006 };
export const EMAIL_ENUMS: Record<string, number> = { WORK: 180011, PRIV: 180012, OTHER: 180013 };
export const WON = 142;
export const LOST = 143;

/** Everything the sandbox knows about the CRM side of every account. Reset wipes it. */
export class CrmState {
  readonly accounts = new Map<number, AccountRecord>();
  readonly users = new Map<number, UserRecord>();
  readonly pipelines = new Map<number, PipelineRecord>();
  readonly contacts = new Map<number, ContactRecord>();
  readonly companies = new Map<number, CompanyRecord>();
  readonly leads = new Map<number, LeadRecord>();
  readonly notes = new Map<number, NoteRecord>();
  readonly unsorted = new Map<string, UnsortedRecord>();
  readonly tasks = new Map<number, TaskRecord>();
  readonly notifications: NotificationRecord[] = [];
  readonly webhooks = new Map<number, WebhookRecord>();
  readonly webhookDeliveries: WebhookDelivery[] = [];
  readonly widgets = new Map<string, WidgetRecord>();
  readonly calls: StoredCall[] = [];
  private readonly counters = new Map<string, number>();

  nextId(kind: 'contact' | 'company' | 'lead' | 'note' | 'task' | 'notification' | 'webhook'): number {
    const start: Record<typeof kind, number> = {
      contact: 3900000,
      company: 3950000,
      lead: 4900000,
      note: 6000000,
      task: 7000000,
      notification: 0,
      webhook: 0,
    };
    const next = (this.counters.get(kind) ?? start[kind]) + 1;
    this.counters.set(kind, next);
    return next;
  }
}

@Injectable()
export class SandboxStore {
  crm = new CrmState();
  private readonly resetListeners: (() => void)[] = [];

  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions) {
    this.load(options.seed);
  }

  /** Unix seconds. */
  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Other stateful services (OAuth, limits, faults, request log) clear themselves here. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  reset(seed: 'demo' | 'empty' | SeedDefinition): void {
    this.crm = new CrmState();
    for (const listener of this.resetListeners) listener();
    this.load(seed);
  }

  accountByHost(host: string): AccountRecord | undefined {
    const normalized = host.trim().toLowerCase().replace(/:\d+$/, '');
    for (const account of this.crm.accounts.values()) {
      if (`${account.subdomain}.kommo.com` === normalized) return account;
    }
    return undefined;
  }

  hostOf(account: AccountRecord): string {
    return `${account.subdomain}.kommo.com`;
  }

  usersOf(accountId: number): UserRecord[] {
    return [...this.crm.users.values()].filter((user) => user.accountId === accountId).sort((a, b) => a.id - b.id);
  }

  user(accountId: number, userId: number): UserRecord | undefined {
    const user = this.crm.users.get(userId);
    return user?.accountId === accountId ? user : undefined;
  }

  pipelinesOf(accountId: number): PipelineRecord[] {
    return [...this.crm.pipelines.values()].filter((pipeline) => pipeline.accountId === accountId).sort((a, b) => a.sort - b.sort);
  }

  mainPipeline(accountId: number): PipelineRecord | undefined {
    const pipelines = this.pipelinesOf(accountId);
    return pipelines.find((pipeline) => pipeline.isMain) ?? pipelines[0];
  }

  contact(accountId: number, id: number): ContactRecord | undefined {
    const record = this.crm.contacts.get(id);
    return record?.accountId === accountId && !record.isDeleted ? record : undefined;
  }

  company(accountId: number, id: number): CompanyRecord | undefined {
    const record = this.crm.companies.get(id);
    return record?.accountId === accountId && !record.isDeleted ? record : undefined;
  }

  lead(accountId: number, id: number): LeadRecord | undefined {
    const record = this.crm.leads.get(id);
    return record?.accountId === accountId && !record.isDeleted ? record : undefined;
  }

  leadsOfContact(contactId: number): LeadRecord[] {
    return [...this.crm.leads.values()].filter((lead) => !lead.isDeleted && lead.contactIds.includes(contactId));
  }

  leadsOfCompany(companyId: number): LeadRecord[] {
    return [...this.crm.leads.values()].filter((lead) => !lead.isDeleted && lead.companyId === companyId);
  }

  contactsOfCompany(companyId: number): ContactRecord[] {
    return [...this.crm.contacts.values()].filter((contact) => !contact.isDeleted && contact.companyId === companyId);
  }

  /** "Active" = not won (142), not lost (143), not deleted; unsorted ones per the assumption option. */
  isActiveLead(lead: LeadRecord): boolean {
    if (lead.isDeleted || lead.statusId === WON || lead.statusId === LOST) return false;
    return lead.isUnsorted ? this.options.assumptions.unsortedLeadsAreActive : true;
  }

  /** Visible contacts/companies of an account with a phone matching on the last `digits` digits, oldest first. */
  findByPhone<T extends ContactRecord | CompanyRecord>(records: Iterable<T>, accountId: number, phone: string, digits: number): T[] {
    return [...records]
      .filter((record) => record.accountId === accountId && !record.isDeleted && !record.isUnsorted)
      .filter((record) => phonesOf(record).some((value) => sameLastDigits(value, phone, digits)))
      .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  }

  private load(seed: 'demo' | 'empty' | SeedDefinition): void {
    const definition = seed === 'demo' ? demoSeed() : seed === 'empty' ? emptySeed() : seed;
    const base = this.now();
    for (const account of definition.accounts ?? []) {
      const accountId = account.id;
      this.crm.accounts.set(accountId, {
        id: accountId,
        uuid: randomUUID(),
        name: account.name ?? account.subdomain,
        subdomain: account.subdomain,
        country: account.country ?? 'US',
        currency: account.currency ?? 'USD',
        currencySymbol: account.currency === 'BRL' ? 'R$' : account.currency === 'EUR' ? '€' : '$',
        createdAt: base - 400 * 86400,
        paymentRequired: account.paymentRequired ?? false,
      });
      for (const user of account.users) {
        this.crm.users.set(user.id, {
          id: user.id,
          accountId,
          name: user.name ?? `User ${user.id}`,
          email: user.email ?? `user${user.id}@${account.subdomain}.example`,
          lang: 'en',
          isAdmin: user.isAdmin ?? false,
          isActive: user.isActive ?? true,
          isFree: false,
          roleId: null,
          groupId: 0,
          phoneExtension: user.phoneExtension ?? null,
        });
      }
      const pipelines = account.pipelines ?? [
        {
          id: accountId * 10 + 1,
          name: 'Sales',
          isMain: true,
          unsortedStatusId: accountId * 100 + 10,
          statuses: [
            { id: accountId * 100 + 11, name: 'New lead' },
            { id: accountId * 100 + 12, name: 'In progress' },
          ],
        },
      ];
      pipelines.forEach((pipeline, index) => {
        this.crm.pipelines.set(pipeline.id, {
          id: pipeline.id,
          accountId,
          name: pipeline.name,
          sort: (index + 1) * 10,
          isMain: pipeline.isMain ?? index === 0,
          isUnsortedOn: true,
          isArchive: false,
          statuses: [
            { id: pipeline.unsortedStatusId, name: 'Incoming leads', sort: 10, isEditable: false, pipelineId: pipeline.id, color: '#c1c1c1', type: 1 },
            ...pipeline.statuses.map((status, position) => ({
              id: status.id,
              name: status.name,
              sort: 20 + position * 10,
              isEditable: true,
              pipelineId: pipeline.id,
              color: status.color ?? '#99ccff',
              type: 0 as const,
            })),
            { id: WON, name: 'Closed - won', sort: 10000, isEditable: false, pipelineId: pipeline.id, color: '#CCFF66', type: 0 },
            { id: LOST, name: 'Closed - lost', sort: 11000, isEditable: false, pipelineId: pipeline.id, color: '#D5D8DB', type: 0 },
          ],
        });
      });
      const firstAdmin = account.users.find((user) => user.isAdmin)?.id ?? account.users[0]?.id ?? 0;
      for (const company of account.companies ?? []) {
        const createdAt = company.createdAt ?? base - 86400;
        this.crm.companies.set(company.id, {
          id: company.id,
          accountId,
          name: company.name,
          responsibleUserId: company.responsibleUserId ?? firstAdmin,
          groupId: 0,
          createdBy: firstAdmin,
          updatedBy: firstAdmin,
          createdAt,
          updatedAt: createdAt,
          isDeleted: false,
          isUnsorted: false,
          customFields: phoneFields(company.phones ?? [], []),
          tags: [],
        });
      }
      for (const contact of account.contacts ?? []) {
        const createdAt = contact.createdAt ?? base - 86400;
        const [first, ...rest] = contact.name.split(' ');
        this.crm.contacts.set(contact.id, {
          id: contact.id,
          accountId,
          name: contact.name,
          firstName: contact.firstName ?? first ?? '',
          lastName: contact.lastName ?? rest.join(' '),
          responsibleUserId: contact.responsibleUserId ?? firstAdmin,
          groupId: 0,
          createdBy: firstAdmin,
          updatedBy: firstAdmin,
          createdAt,
          updatedAt: createdAt,
          isDeleted: false,
          isUnsorted: false,
          customFields: phoneFields(contact.phones ?? [], contact.emails ?? []),
          tags: [],
          companyId: contact.companyId ?? null,
        });
      }
      for (const lead of account.leads ?? []) {
        const pipeline = this.crm.pipelines.get(lead.pipelineId ?? this.mainPipeline(accountId)?.id ?? -1);
        const statusId = lead.statusId ?? pipeline?.statuses.find((status) => status.type === 0)?.id ?? WON;
        const createdAt = lead.createdAt ?? base - 3600;
        this.crm.leads.set(lead.id, {
          id: lead.id,
          accountId,
          name: lead.name,
          price: lead.price ?? 0,
          statusId,
          pipelineId: pipeline?.id ?? 0,
          closedAt: statusId === WON || statusId === LOST ? createdAt + 3600 : null,
          lossReasonId: null,
          contactIds: [...(lead.contactIds ?? [])],
          companyId: lead.companyId ?? null,
          responsibleUserId: lead.responsibleUserId ?? firstAdmin,
          groupId: 0,
          createdBy: firstAdmin,
          updatedBy: firstAdmin,
          createdAt,
          updatedAt: createdAt,
          isDeleted: false,
          isUnsorted: false,
          customFields: [],
          tags: [],
        });
      }
    }
  }
}

export function phonesOf(record: ContactRecord | CompanyRecord): string[] {
  return record.customFields.filter((field) => field.fieldCode === 'PHONE').flatMap((field) => field.values.map((value) => value.value));
}

function phoneFields(phones: readonly SeedPhone[], emails: readonly string[]): CustomFieldValueRecord[] {
  const fields: CustomFieldValueRecord[] = [];
  if (phones.length > 0) {
    fields.push({
      fieldId: PHONE_FIELD_ID,
      fieldName: 'Phone',
      fieldCode: 'PHONE',
      fieldType: 'multitext',
      values: phones.map((phone) => {
        const { value, enumCode } = typeof phone === 'string' ? { value: phone, enumCode: 'WORK' } : phone;
        return { value, enumCode, enumId: PHONE_ENUMS[enumCode] ?? PHONE_ENUMS.WORK };
      }),
    });
  }
  if (emails.length > 0) {
    fields.push({
      fieldId: EMAIL_FIELD_ID,
      fieldName: 'Email',
      fieldCode: 'EMAIL',
      fieldType: 'multitext',
      values: emails.map((value) => ({ value, enumCode: 'WORK', enumId: EMAIL_ENUMS.WORK })),
    });
  }
  return fields;
}
