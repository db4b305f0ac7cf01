import { Body, Controller, Get, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { halList, listParam, paginate, sendHal, withSet } from '../http/hal';
import { KommoProblem, ValidationError } from '../http/problem';
import { CompanyRecord, ContactRecord, EntityPlural, LeadRecord } from '../store/model';
import { LOST, SandboxStore, WON } from '../store/sandbox-store';
import { Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { arrayBody, err, isInt, isText, Item, objectBody, requestIdOf, Validator } from './body';
import { CrmService } from './crm.service';
import { Serializer } from './serializers';
import { asText } from '../store/text';

type Query = Record<string, unknown>;
type AnyEntity = ContactRecord | CompanyRecord | LeadRecord;

const ENTITIES: readonly EntityPlural[] = ['leads', 'contacts', 'companies'];

/** Contacts, companies and leads: list (query, filters, with), get, create, update; and pipelines. */
@Controller('api/v4')
@UseGuards(ApiAuthGuard)
export class EntitiesController {
  constructor(
    private readonly store: SandboxStore,
    private readonly crm: CrmService,
  ) {}

  @Get('leads/pipelines')
  pipelines(@Api() api: ApiContext, @Res() res: Response): void {
    const serializer = Serializer.for(this.store, api.account);
    const pipelines = this.store.pipelinesOf(api.account.id);
    sendHal(res, 200, {
      _total_items: pipelines.length,
      _links: { self: serializer.link('/api/v4/leads/pipelines') },
      _embedded: { pipelines: pipelines.map((pipeline) => serializer.pipeline(pipeline)) },
    });
  }

  @Get('leads/pipelines/:id')
  pipeline(@Api() api: ApiContext, @Param('id') id: string, @Res() res: Response): void {
    const pipeline = this.store.pipelinesOf(api.account.id).find((candidate) => candidate.id === Number(id));
    sendHal(res, pipeline ? 200 : 204, pipeline ? Serializer.for(this.store, api.account).pipeline(pipeline) : null);
  }

  @Get('leads/pipelines/:id/statuses')
  statuses(@Api() api: ApiContext, @Param('id') id: string, @Res() res: Response): void {
    const pipeline = this.store.pipelinesOf(api.account.id).find((candidate) => candidate.id === Number(id));
    if (!pipeline) return sendHal(res, 204, null);
    const serializer = Serializer.for(this.store, api.account);
    sendHal(res, 200, {
      _total_items: pipeline.statuses.length,
      _links: { self: serializer.link(`/api/v4/leads/pipelines/${pipeline.id}/statuses`) },
      _embedded: { statuses: pipeline.statuses.map((status) => serializer.status(status, api.account.id)) },
    });
  }

  @Get(':entity')
  list(@Api() api: ApiContext, @Param('entity') entity: string, @Query() query: Query, @Res() res: Response): void {
    const type = this.entityType(entity);
    const withs = withSet(query);
    let records = this.records(type, api.account.id);
    const text = typeof query.query === 'string' || typeof query.query === 'number' ? String(query.query) : '';
    if (text) records = records.filter((record) => this.crm.matchesQuery(record, text));
    const filter = (query.filter ?? {}) as Query;
    const ids = listParam(filter.id).map(Number);
    if (ids.length > 0) records = records.filter((record) => ids.includes(record.id));
    const responsible = listParam(filter.responsible_user_id).map(Number);
    if (responsible.length > 0) records = records.filter((record) => responsible.includes(record.responsibleUserId));
    const names = listParam(filter.name);
    if (names.length > 0) records = records.filter((record) => names.includes(record.name));
    if (type === 'leads') {
      const pipelines = listParam(filter.pipeline_id).map(Number);
      if (pipelines.length > 0) records = records.filter((record) => pipelines.includes((record as LeadRecord).pipelineId));
    }
    const order = (query.order ?? {}) as Query;
    const [orderField, direction] = Object.entries(order)[0] ?? ['id', 'asc'];
    const key = orderField === 'updated_at' ? 'updatedAt' : orderField === 'created_at' ? 'createdAt' : 'id';
    records.sort((a, b) => (a[key] - b[key] || a.id - b.id) * (direction === 'desc' ? -1 : 1));
    const page = paginate(records, query);
    const serializer = Serializer.for(this.store, api.account);
    const mapped = page.items.map((record) => this.serialize(serializer, type, record, withs));
    sendHal(res, 200, halList(this.store.hostOf(api.account), `/api/v4/${type}`, type, page, query, mapped));
  }

  @Get(':entity/:id')
  one(@Api() api: ApiContext, @Param('entity') entity: string, @Param('id') id: string, @Query() query: Query, @Res() res: Response): void {
    const type = this.entityType(entity);
    const record = this.records(type, api.account.id).find((candidate) => candidate.id === Number(id));
    sendHal(res, record ? 200 : 204, record ? this.serialize(Serializer.for(this.store, api.account), type, record, withSet(query)) : null);
  }

  @Post(':entity')
  create(@Api() api: ApiContext, @Param('entity') entity: string, @Body() body: unknown, @Res() res: Response): void {
    const type = this.entityType(entity);
    const items = arrayBody(body);
    const validator = new Validator();
    const prepared: { item: Item; requestId: string; fields: ReturnType<CrmService['parseCustomFields']> }[] = [];
    items.forEach((item, index) => {
      const requestId = requestIdOf(item, index);
      validator.item(requestId, (errors) => {
        const fields = this.crm.parseCustomFields(item.custom_fields_values, 'custom_fields_values', errors);
        this.validateCommon(api, type, item, errors, false);
        prepared.push({ item, requestId, fields });
      });
    });
    validator.throwIfFailed();
    const serializer = Serializer.for(this.store, api.account);
    const now = this.store.now();
    const created = prepared.map(({ item, requestId, fields }) => {
      const base = {
        accountId: api.account.id,
        name: typeof item.name === 'string' ? item.name : '',
        responsibleUserId: isInt(item.responsible_user_id) ? item.responsible_user_id : api.user.id,
        groupId: 0,
        createdBy: isInt(item.created_by) ? item.created_by : api.user.id,
        updatedBy: isInt(item.updated_by) ? item.updated_by : api.user.id,
        createdAt: isInt(item.created_at) ? item.created_at : now,
        updatedAt: isInt(item.updated_at) ? item.updated_at : now,
        isDeleted: false,
        isUnsorted: false,
        customFields: fields ?? [],
        tags: tagsOf(item),
      };
      const embedded = (item._embedded ?? {}) as Item;
      const firstCompany = listIds(embedded.companies)[0] ?? null;
      if (type === 'contacts') {
        const firstName = typeof item.first_name === 'string' ? item.first_name : '';
        const lastName = typeof item.last_name === 'string' ? item.last_name : '';
        const record: ContactRecord = {
          ...base,
          id: this.store.crm.nextId('contact'),
          name: base.name || [firstName, lastName].filter(Boolean).join(' '),
          firstName,
          lastName,
          companyId: firstCompany,
        };
        this.store.crm.contacts.set(record.id, record);
        this.crm.emitEntity(api.account.id, 'add', record, 'contact');
        return { id: record.id, is_deleted: false, is_unsorted: false, request_id: requestId, _links: { self: serializer.link(`/api/v4/contacts/${record.id}`) } };
      }
      if (type === 'companies') {
        const record: CompanyRecord = { ...base, id: this.store.crm.nextId('company') };
        this.store.crm.companies.set(record.id, record);
        this.crm.emitEntity(api.account.id, 'add', record, 'company');
        return { id: record.id, request_id: requestId, _links: { self: serializer.link(`/api/v4/companies/${record.id}`) } };
      }
      const pipeline = this.store.pipelinesOf(api.account.id).find((candidate) => candidate.id === item.pipeline_id) ?? this.store.mainPipeline(api.account.id)!;
      const statusId = isInt(item.status_id) ? item.status_id : pipeline.statuses.find((status) => status.type === 0)!.id;
      const record: LeadRecord = {
        ...base,
        id: this.store.crm.nextId('lead'),
        name: base.name || `Lead #${now}`,
        price: isInt(item.price) ? item.price : 0,
        statusId,
        pipelineId: pipeline.id,
        closedAt: statusId === WON || statusId === LOST ? now : null,
        lossReasonId: null,
        contactIds: listIds(embedded.contacts),
        companyId: firstCompany,
      };
      this.store.crm.leads.set(record.id, record);
      this.crm.emitEntity(api.account.id, 'add', record, 'lead');
      return { id: record.id, request_id: requestId, _links: { self: serializer.link(`/api/v4/leads/${record.id}`) } };
    });
    sendHal(res, 200, { _links: { self: serializer.link(`/api/v4/${type}`) }, _embedded: { [type]: created } });
  }

  @Patch(':entity')
  updateMany(@Api() api: ApiContext, @Param('entity') entity: string, @Body() body: unknown, @Res() res: Response): void {
    const type = this.entityType(entity);
    this.update(api, type, arrayBody(body), res);
  }

  @Patch(':entity/:id')
  updateOne(@Api() api: ApiContext, @Param('entity') entity: string, @Param('id') id: string, @Body() body: unknown, @Res() res: Response): void {
    const type = this.entityType(entity);
    const item = objectBody(body);
    this.update(api, type, [{ ...item, id: Number(id) }], res, true);
  }

  private update(api: ApiContext, type: EntityPlural, items: Item[], res: Response, single = false): void {
    const validator = new Validator();
    const targets: { record: AnyEntity; item: Item; requestId: string; fields: ReturnType<CrmService['parseCustomFields']> }[] = [];
    items.forEach((item, index) => {
      const requestId = requestIdOf(item, index);
      validator.item(requestId, (errors) => {
        const record = isInt(item.id) ? this.records(type, api.account.id).find((candidate) => candidate.id === item.id) : undefined;
        if (!isInt(item.id)) errors.push(err.required('id'));
        else if (!record) errors.push(err.notFound('id'));
        const fields = this.crm.parseCustomFields(item.custom_fields_values, 'custom_fields_values', errors);
        this.validateCommon(api, type, item, errors, true);
        if (record) targets.push({ record, item, requestId, fields });
      });
    });
    if (single && validator.failed && targets.length === 0 && isInt(items[0]?.id)) throw KommoProblem.notFound();
    validator.throwIfFailed();
    const now = this.store.now();
    const serializer = Serializer.for(this.store, api.account);
    const updated = targets.map(({ record, item, requestId, fields }) => {
      const oldStatus = 'statusId' in record ? record.statusId : null;
      const oldResponsible = record.responsibleUserId;
      if (typeof item.name === 'string') record.name = item.name;
      if (isInt(item.responsible_user_id)) record.responsibleUserId = item.responsible_user_id;
      if (fields) record.customFields = this.crm.mergeCustomFields(record.customFields, fields);
      record.updatedAt = isInt(item.updated_at) ? item.updated_at : now;
      record.updatedBy = isInt(item.updated_by) ? item.updated_by : api.user.id;
      const embedded = (item._embedded ?? {}) as Item;
      if (type === 'contacts') {
        const contact = record as ContactRecord;
        if (typeof item.first_name === 'string') contact.firstName = item.first_name;
        if (typeof item.last_name === 'string') contact.lastName = item.last_name;
        if (embedded.companies !== undefined) contact.companyId = listIds(embedded.companies)[0] ?? null;
      }
      if (type === 'leads') {
        const lead = record as LeadRecord;
        if (isInt(item.price)) lead.price = item.price;
        if (isInt(item.pipeline_id)) lead.pipelineId = item.pipeline_id;
        if (isInt(item.status_id)) {
          lead.statusId = item.status_id;
          lead.closedAt = lead.statusId === WON || lead.statusId === LOST ? now : null;
        }
        if (embedded.contacts !== undefined) lead.contactIds = listIds(embedded.contacts);
        if (embedded.companies !== undefined) lead.companyId = listIds(embedded.companies)[0] ?? null;
      }
      const kind = type === 'leads' ? 'lead' : type === 'contacts' ? 'contact' : 'company';
      this.crm.emitEntity(api.account.id, 'update', record, kind);
      if ('statusId' in record && oldStatus !== record.statusId) this.crm.emitEntity(api.account.id, 'status', record, kind, { old_status_id: oldStatus });
      if (oldResponsible !== record.responsibleUserId) this.crm.emitEntity(api.account.id, 'responsible', record, kind, { old_responsible_user_id: oldResponsible });
      return { id: record.id, updated_at: record.updatedAt, request_id: requestId, _links: { self: serializer.link(`/api/v4/${type}/${record.id}`) } };
    });
    sendHal(res, 200, { _links: { self: serializer.link(`/api/v4/${type}`) }, _embedded: { [type]: updated } });
  }

  private validateCommon(api: ApiContext, type: EntityPlural, item: Item, errors: ValidationError[], isUpdate: boolean): void {
    if (item.name !== undefined && typeof item.name !== 'string') errors.push(err.type('name', 'string'));
    if (item.responsible_user_id !== undefined && (!isInt(item.responsible_user_id) || !this.store.user(api.account.id, item.responsible_user_id))) {
      errors.push(err.choice('responsible_user_id'));
    }
    if (type === 'contacts' && !isUpdate && !isText(item.name) && !isText(item.first_name) && !isText(item.last_name)) {
      // Kommo accepts nameless contacts; nothing to check.
    }
    if (type === 'leads') {
      if (item.price !== undefined && !isInt(item.price)) errors.push(err.type('price', 'int'));
      const pipelines = this.store.pipelinesOf(api.account.id);
      const pipeline = item.pipeline_id === undefined ? undefined : pipelines.find((candidate) => candidate.id === item.pipeline_id);
      if (item.pipeline_id !== undefined && !pipeline) errors.push(err.choice('pipeline_id'));
      if (item.status_id !== undefined) {
        if (!isInt(item.status_id)) errors.push(err.type('status_id', 'int'));
        else {
          const scope = pipeline ? [pipeline] : pipelines;
          if (!scope.some((candidate) => candidate.statuses.some((status) => status.id === item.status_id))) errors.push(err.choice('status_id'));
        }
      }
      const embedded = (item._embedded ?? {}) as Item;
      listIds(embedded.contacts).forEach((id, index) => {
        if (!this.store.contact(api.account.id, id)) errors.push(err.notFound(`_embedded.contacts.${index}.id`));
      });
    }
    const embedded = (item._embedded ?? {}) as Item;
    listIds(embedded.companies).forEach((id, index) => {
      if (!this.store.company(api.account.id, id)) errors.push(err.notFound(`_embedded.companies.${index}.id`));
    });
  }

  private entityType(entity: string): EntityPlural {
    if (!(ENTITIES as readonly string[]).includes(entity)) throw KommoProblem.notFound(`Cannot find /api/v4/${entity}`);
    return entity as EntityPlural;
  }

  private records(type: EntityPlural, accountId: number): AnyEntity[] {
    const source = type === 'leads' ? this.store.crm.leads : type === 'contacts' ? this.store.crm.contacts : this.store.crm.companies;
    return [...(source as Map<number, AnyEntity>).values()].filter((record) => record.accountId === accountId && !record.isDeleted && !record.isUnsorted);
  }

  private serialize(serializer: Serializer, type: EntityPlural, record: AnyEntity, withs: Set<string>): Record<string, unknown> {
    if (type === 'contacts') return serializer.contact(record as ContactRecord, withs);
    if (type === 'companies') return serializer.company(record, withs);
    return serializer.lead(record as LeadRecord, withs);
  }
}

function listIds(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => Number((entry as Item)?.id)).filter((id) => Number.isInteger(id));
}

function tagsOf(item: Item): string[] {
  const tags = ((item._embedded ?? {}) as Item).tags;
  if (!Array.isArray(tags)) return [];
  return tags.map((tag) => asText((tag as Item)?.name)).filter(Boolean);
}
