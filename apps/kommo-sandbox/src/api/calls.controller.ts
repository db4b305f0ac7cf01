import { Body, Controller, Get, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { sendHal } from '../http/hal';
import { KommoProblem } from '../http/problem';
import { EntityPlural } from '../store/model';
import { SandboxStore } from '../store/sandbox-store';
import { Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { arrayBody, err, isInt, isText, Item, requestIdOf, Validator } from './body';
import { CrmService } from './crm.service';
import { Serializer } from './serializers';

const PLURAL = { lead: 'leads', contact: 'contacts', company: 'companies' } as const satisfies Record<string, EntityPlural>;

/** `POST /api/v4/calls`: Kommo's attach algorithm (§4.3). There is no GET. */
@Controller('api/v4/calls')
@UseGuards(ApiAuthGuard)
export class CallsController {
  constructor(
    private readonly store: SandboxStore,
    private readonly crm: CrmService,
  ) {}

  @Get()
  noList(): never {
    throw KommoProblem.of(405, 'Method Not Allowed');
  }

  @Post()
  add(@Api() api: ApiContext, @Body() body: unknown, @Res() res: Response): void {
    const items = arrayBody(body, this.crm.assumptions.maxBatchItems);
    const validator = new Validator();
    const maxStatus = this.crm.assumptions.acceptCallStatus8 ? 8 : 7;
    items.forEach((item, index) => {
      validator.item(requestIdOf(item, index), (errors) => {
        if (item.direction === undefined) errors.push(err.required('direction'));
        else if (item.direction !== 'inbound' && item.direction !== 'outbound') errors.push(err.choice('direction'));
        if (item.phone === undefined || item.phone === '') errors.push(err.required('phone'));
        else if (typeof item.phone !== 'string') errors.push(err.type('phone', 'string'));
        if (item.duration === undefined) errors.push(err.required('duration'));
        else if (!isInt(item.duration) || item.duration < 0) errors.push(err.type('duration', 'int'));
        if (item.source === undefined || item.source === '') errors.push(err.required('source'));
        else if (!isText(item.source)) errors.push(err.type('source', 'string'));
        if (item.call_status !== undefined && (!isInt(item.call_status) || item.call_status < 1 || item.call_status > maxStatus)) errors.push(err.choice('call_status'));
        if (item.link !== undefined && typeof item.link !== 'string') errors.push(err.type('link', 'string'));
        if (item.uniq !== undefined && typeof item.uniq !== 'string') errors.push(err.type('uniq', 'string'));
        if (item.call_result !== undefined && typeof item.call_result !== 'string') errors.push(err.type('call_result', 'string'));
        for (const field of ['created_at', 'updated_at', 'created_by', 'updated_by', 'responsible_user_id'] as const) {
          if (item[field] !== undefined && !isInt(item[field])) errors.push(err.type(field, 'int'));
        }
      });
    });
    validator.throwIfFailed();

    const serializer = Serializer.for(this.store, api.account);
    const now = this.store.now();
    const calls: Item[] = [];
    const errors: Item[] = [];
    items.forEach((item, index) => {
      const requestId = requestIdOf(item, index);
      const phone = item.phone as string;
      const target = this.crm.attachTarget(api.account.id, phone);
      if (!target) {
        errors.push({ request_id: requestId, title: 'Entity not found', status: 400, detail: `No contact or company with phone ${phone}` });
        return;
      }
      const params: Item = { uniq: item.uniq ?? '', duration: item.duration, source: item.source, link: item.link ?? '', phone };
      if (item.call_status !== undefined) params.call_status = item.call_status;
      if (item.call_result !== undefined) params.call_result = item.call_result;
      if (item.call_responsible !== undefined) params.call_responsible = item.call_responsible;
      const note = this.crm.addNote({
        accountId: api.account.id,
        entityType: PLURAL[target.type],
        entityId: target.id,
        noteType: item.direction === 'inbound' ? 'call_in' : 'call_out',
        params,
        createdBy: isInt(item.created_by) ? item.created_by : 0,
        updatedBy: isInt(item.updated_by) ? item.updated_by : 0,
        createdAt: isInt(item.created_at) ? item.created_at : now,
        updatedAt: isInt(item.updated_at) ? item.updated_at : now,
        responsibleUserId: isInt(item.responsible_user_id) ? item.responsible_user_id : api.user.id,
        groupId: 0,
        isPinned: false,
        origin: 'calls',
      });
      this.store.crm.calls.push({ noteId: note.id, accountId: api.account.id, entityType: target.type, entityId: target.id, phone, uniq: typeof item.uniq === 'string' ? item.uniq : null, at: now });
      calls.push({
        id: note.id,
        entity_id: target.id,
        entity_type: target.type,
        account_id: api.account.id,
        request_id: requestId,
        _embedded: { entity: { id: target.id, _links: { self: serializer.link(`/api/v4/${PLURAL[target.type]}/${target.id}`) } } },
      });
    });
    const status = calls.length === 0 ? 400 : 200;
    sendHal(res, status, { _total_items: calls.length, errors, _embedded: { calls } });
  }
}
