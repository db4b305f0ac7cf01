import { Body, Controller, Delete, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { halList, listParam, paginate, sendHal } from '../http/hal';
import { KommoProblem } from '../http/problem';
import { CompanyRecord, ContactRecord, LeadRecord, UnsortedRecord } from '../store/model';
import { digitsOf } from '../store/phone';
import { SandboxStore } from '../store/sandbox-store';
import { Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { arrayBody, err, isInt, isText, Item, requestIdOf, Validator } from './body';
import { CrmService } from './crm.service';
import { Serializer } from './serializers';
import { UnsortedDecisions } from './unsorted.decisions';
import { WebhookSender } from './webhook.sender';
import { asText } from '../store/text';

type Query = Record<string, unknown>;

/** Incoming leads (unsorted) of category `sip` (§6): create, list, get, summary, accept (POST), decline (DELETE). */
@Controller('api/v4/leads/unsorted')
@UseGuards(ApiAuthGuard)
export class UnsortedController {
  constructor(
    private readonly store: SandboxStore,
    private readonly crm: CrmService,
    private readonly webhooks: WebhookSender,
    private readonly decisions: UnsortedDecisions,
  ) {}

  @Post('sip')
  createSip(@Api() api: ApiContext, @Body() body: unknown, @Res() res: Response): void {
    const items = arrayBody(body);
    const pipelines = this.store.pipelinesOf(api.account.id);
    const validator = new Validator();
    const parsed: { item: Item; fields: { contact: ReturnType<CrmService['parseCustomFields']>; company: ReturnType<CrmService['parseCustomFields']> } }[] = [];
    const seenKeys = new Set<string>();
    items.forEach((item, index) => {
      validator.item(requestIdOf(item, index), (errors) => {
        if (!isText(item.source_uid)) errors.push(err.required('source_uid'));
        if (!isText(item.source_name)) errors.push(err.required('source_name'));
        if (item.pipeline_id !== undefined && !pipelines.some((pipeline) => pipeline.id === item.pipeline_id && pipeline.isUnsortedOn)) errors.push(err.choice('pipeline_id'));
        if (item.created_at !== undefined && !isInt(item.created_at)) errors.push(err.type('created_at', 'int'));
        if (item.metadata !== undefined && (typeof item.metadata !== 'object' || item.metadata === null || Array.isArray(item.metadata))) errors.push(err.type('metadata', 'object'));
        const metadata = (item.metadata ?? {}) as Item;
        for (const key of ['duration', 'called_at'] as const) {
          if (metadata[key] !== undefined && !isInt(metadata[key])) errors.push(err.type(`metadata.${key}`, 'int'));
        }
        const embedded = (item._embedded ?? {}) as Item;
        const contact = Array.isArray(embedded.contacts) ? ((embedded.contacts[0] ?? {}) as Item) : undefined;
        const company = Array.isArray(embedded.companies) ? ((embedded.companies[0] ?? {}) as Item) : undefined;
        const fields = {
          contact: contact ? this.crm.parseCustomFields(contact.custom_fields_values, '_embedded.contacts.0.custom_fields_values', errors) : null,
          company: company ? this.crm.parseCustomFields(company.custom_fields_values, '_embedded.companies.0.custom_fields_values', errors) : null,
        };
        const key = this.duplicateKey(metadata);
        if (key !== null && (seenKeys.has(key) || this.pendingWithKey(api.account.id, key))) {
          errors.push({ code: 'Duplicate', path: 'metadata', detail: 'There can not be 2 identical entities in incoming leads.' });
        }
        if (key !== null) seenKeys.add(key);
        parsed.push({ item, fields });
      });
    });
    validator.throwIfFailed();

    const now = this.store.now();
    const serializer = Serializer.for(this.store, api.account);
    const created = parsed.map(({ item, fields }, index) => {
      const pipeline = pipelines.find((candidate) => candidate.id === item.pipeline_id) ?? this.store.mainPipeline(api.account.id)!;
      const incoming = pipeline.statuses.find((status) => status.type === 1)!;
      const metadata = { ...((item.metadata ?? {}) as Item) };
      metadata.called_at ??= now;
      const embedded = (item._embedded ?? {}) as Item;
      const leadInput = (Array.isArray(embedded.leads) ? (embedded.leads[0] ?? {}) : {}) as Item;
      const contactInput = Array.isArray(embedded.contacts) ? ((embedded.contacts[0] ?? {}) as Item) : undefined;
      const companyInput = Array.isArray(embedded.companies) ? ((embedded.companies[0] ?? {}) as Item) : undefined;
      const createdAt = isInt(item.created_at) ? item.created_at : now;
      const base = {
        accountId: api.account.id,
        responsibleUserId: api.user.id,
        groupId: 0,
        createdBy: 0,
        updatedBy: 0,
        createdAt,
        updatedAt: createdAt,
        isDeleted: false,
        isUnsorted: true,
        tags: [],
      };
      let contact: ContactRecord | null = null;
      if (contactInput) {
        const name = typeof contactInput.name === 'string' ? contactInput.name : asText(metadata.from ?? metadata.phone ?? 'Unknown');
        contact = { ...base, id: this.store.crm.nextId('contact'), name, firstName: name, lastName: '', companyId: null, customFields: fields.contact ?? [] };
        this.store.crm.contacts.set(contact.id, contact);
      }
      let company: CompanyRecord | null = null;
      if (companyInput) {
        company = { ...base, id: this.store.crm.nextId('company'), name: typeof companyInput.name === 'string' ? companyInput.name : 'Company', customFields: fields.company ?? [] };
        this.store.crm.companies.set(company.id, company);
        if (contact) contact.companyId = company.id;
      }
      const lead: LeadRecord = {
        ...base,
        id: this.store.crm.nextId('lead'),
        name: typeof leadInput.name === 'string' ? leadInput.name : `Call from ${asText(metadata.from ?? metadata.phone ?? 'unknown')}`,
        price: isInt(leadInput.price) ? leadInput.price : 0,
        statusId: incoming.id,
        pipelineId: pipeline.id,
        closedAt: null,
        lossReasonId: null,
        contactIds: contact ? [contact.id] : [],
        companyId: company?.id ?? null,
        customFields: [],
      };
      this.store.crm.leads.set(lead.id, lead);
      const record: UnsortedRecord = {
        uid: randomBytes(20).toString('hex'),
        accountId: api.account.id,
        sourceUid: item.source_uid as string,
        sourceName: item.source_name as string,
        category: 'sip',
        pipelineId: pipeline.id,
        createdAt,
        metadata,
        leadId: lead.id,
        contactId: contact?.id ?? null,
        companyId: company?.id ?? null,
        state: 'pending',
        decidedBy: null,
        decidedAt: null,
      };
      this.store.crm.unsorted.set(record.uid, record);
      if (metadata.is_call_event_needed === true) {
        this.crm.addNote({
          accountId: api.account.id,
          entityType: 'leads',
          entityId: lead.id,
          noteType: 'call_in',
          params: {
            uniq: metadata.uniq ?? '',
            duration: metadata.duration ?? 0,
            source: metadata.service_code ?? record.sourceName,
            link: metadata.link ?? '',
            phone: asText(metadata.from ?? metadata.phone),
          },
          createdBy: 0,
          updatedBy: 0,
          createdAt,
          updatedAt: createdAt,
          responsibleUserId: api.user.id,
          groupId: 0,
          isPinned: false,
          origin: 'unsorted',
        });
      }
      this.webhooks.emit(api.account.id, 'add_unsorted', {
        unsorted: { add: [{ uid: record.uid, category: 'sip', source_data: metadata, pipeline_id: pipeline.id, account_id: api.account.id, lead_id: lead.id, created_at: createdAt, data: { leads: [{ id: lead.id }] } }] },
      });
      return {
        uid: record.uid,
        account_id: api.account.id,
        request_id: requestIdOf(item, index),
        _links: { self: serializer.link(`/api/v4/leads/unsorted/${record.uid}`) },
        _embedded: {
          contacts: contact ? [{ id: contact.id, _links: { self: serializer.link(`/api/v4/contacts/${contact.id}`) } }] : [],
          leads: [{ id: lead.id, _links: { self: serializer.link(`/api/v4/leads/${lead.id}`) } }],
          companies: company ? [{ id: company.id, _links: { self: serializer.link(`/api/v4/companies/${company.id}`) } }] : [],
        },
      };
    });
    sendHal(res, 200, { _total_items: created.length, _embedded: { unsorted: created } });
  }

  @Post('forms')
  forms(): never {
    throw KommoProblem.of(400, 'Only category sip is emulated by the sandbox');
  }

  @Get()
  list(@Api() api: ApiContext, @Query() query: Query, @Res() res: Response): void {
    const filter = (query.filter ?? {}) as Query;
    const uids = listParam(filter.uid);
    const categories = listParam(filter.category);
    const pipelinesFilter = listParam(filter.pipeline_id).map(Number);
    let items = this.pending(api.account.id);
    if (uids.length > 0) items = items.filter((item) => uids.includes(item.uid));
    if (categories.length > 0) items = items.filter((item) => categories.includes(item.category));
    if (pipelinesFilter.length > 0) items = items.filter((item) => pipelinesFilter.includes(item.pipelineId));
    const order = (query.order ?? {}) as Query;
    const desc = order.created_at === 'desc';
    items.sort((a, b) => (a.createdAt - b.createdAt) * (desc ? -1 : 1));
    const page = paginate(items, query);
    const serializer = Serializer.for(this.store, api.account);
    sendHal(res, 200, halList(this.store.hostOf(api.account), '/api/v4/leads/unsorted', 'unsorted', page, query, page.items.map((item) => serializer.unsorted(item))));
  }

  @Get('summary')
  summary(@Api() api: ApiContext, @Res() res: Response): void {
    const all = [...this.store.crm.unsorted.values()].filter((item) => item.accountId === api.account.id);
    const decided = all.filter((item) => item.decidedAt !== null);
    const sortTime = decided.length === 0 ? 0 : Math.round(decided.reduce((sum, item) => sum + (item.decidedAt! - item.createdAt), 0) / decided.length);
    sendHal(res, 200, {
      total: all.length,
      accepted: all.filter((item) => item.state === 'accepted').length,
      declined: all.filter((item) => item.state === 'declined').length,
      average_sort_time: sortTime,
      categories: { sip: { total: all.length }, forms: { total: 0 }, chats: { total: 0 }, mail: { total: 0 } },
    });
  }

  @Get(':uid')
  one(@Api() api: ApiContext, @Param('uid') uid: string, @Res() res: Response): void {
    const item = this.store.crm.unsorted.get(uid);
    const visible = item && item.accountId === api.account.id && item.state === 'pending' ? item : undefined;
    sendHal(res, visible ? 200 : 204, visible ? Serializer.for(this.store, api.account).unsorted(visible) : null);
  }

  @Post(':uid/accept')
  accept(@Api() api: ApiContext, @Param('uid') uid: string, @Body() body: unknown, @Res() res: Response): void {
    const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Item;
    const item = this.decisions.accept(api.account.id, uid, this.userIdOf(api, input.user_id), input.status_id);
    sendHal(res, 200, this.decisionBody(api, item));
  }

  @Delete(':uid/decline')
  decline(@Api() api: ApiContext, @Param('uid') uid: string, @Body() body: unknown, @Res() res: Response): void {
    const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Item;
    const item = this.decisions.decline(api.account.id, uid, this.userIdOf(api, input.user_id));
    sendHal(res, 200, this.decisionBody(api, item));
  }

  @Post(':uid/decline')
  declineWithPost(): never {
    throw KommoProblem.of(405, 'Method Not Allowed');
  }

  @Delete(':uid/accept')
  acceptWithDelete(): never {
    throw KommoProblem.of(405, 'Method Not Allowed');
  }

  private decisionBody(api: ApiContext, item: UnsortedRecord): Item {
    const serializer = Serializer.for(this.store, api.account);
    const contact = item.contactId ? this.store.crm.contacts.get(item.contactId) : undefined;
    const company = item.companyId ? this.store.crm.companies.get(item.companyId) : undefined;
    return {
      uid: item.uid,
      pipeline_id: item.pipelineId,
      category: item.category,
      created_at: item.createdAt,
      _embedded: {
        leads: [{ id: item.leadId, _links: { self: serializer.link(`/api/v4/leads/${item.leadId}`) } }],
        contacts: contact ? [{ id: contact.id, is_deleted: contact.isDeleted, is_unsorted: contact.isUnsorted, _links: { self: serializer.link(`/api/v4/contacts/${contact.id}`) } }] : [],
        companies: company ? [{ id: company.id, is_deleted: company.isDeleted, is_unsorted: company.isUnsorted, _links: { self: serializer.link(`/api/v4/companies/${company.id}`) } }] : [],
      },
      _links: { self: serializer.link(`/api/v4/leads/unsorted/${item.uid}`) },
    };
  }

  private userIdOf(api: ApiContext, value: unknown): number {
    if (value === undefined) return api.user.id;
    if (!isInt(value) || !this.store.user(api.account.id, value)) throw KommoProblem.validation([{ request_id: '0', errors: [err.choice('user_id')] }]);
    return value;
  }

  private pending(accountId: number): UnsortedRecord[] {
    return [...this.store.crm.unsorted.values()].filter((item) => item.accountId === accountId && item.state === 'pending');
  }

  private duplicateKey(metadata: Item): string | null {
    const mode = this.crm.assumptions.unsortedDuplicateKey;
    if (mode === 'uniq') return typeof metadata.uniq === 'string' && metadata.uniq !== '' ? `uniq:${metadata.uniq}` : null;
    if (mode === 'phone') {
      const digits = digitsOf(asText(metadata.from ?? metadata.phone));
      return digits ? `phone:${digits}` : null;
    }
    return null;
  }

  private pendingWithKey(accountId: number, key: string): boolean {
    return this.pending(accountId).some((item) => this.duplicateKey(item.metadata) === key);
  }
}
