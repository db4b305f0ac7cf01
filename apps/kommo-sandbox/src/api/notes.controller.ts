import { Body, Controller, Get, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { halList, listParam, paginate, sendHal, withSet } from '../http/hal';
import { KommoProblem, ValidationError } from '../http/problem';
import { EntityPlural, NoteRecord } from '../store/model';
import { SandboxStore } from '../store/sandbox-store';
import { Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { arrayBody, err, isInt, Item, objectBody, requestIdOf, Validator } from './body';
import { CrmService } from './crm.service';
import { Serializer } from './serializers';

type Query = Record<string, unknown>;

const ENTITIES: readonly string[] = ['leads', 'contacts', 'companies'];
const NOTE_TYPES = ['common', 'call_in', 'call_out', 'service_message', 'extended_service_message', 'geolocation', 'sms_in', 'sms_out', 'attachment'];

/** Notes of leads/contacts/companies (§5): list, get, create, patch. Call notes carry `params`. */
@Controller('api/v4')
@UseGuards(ApiAuthGuard)
export class NotesController {
  constructor(
    private readonly store: SandboxStore,
    private readonly crm: CrmService,
  ) {}

  @Get(':entity/notes')
  listAll(@Api() api: ApiContext, @Param('entity') entity: string, @Query() query: Query, @Res() res: Response): void {
    this.list(api, this.entityType(entity), null, query, res);
  }

  @Get(':entity/notes/:noteId')
  getOne(@Api() api: ApiContext, @Param('entity') entity: string, @Param('noteId') noteId: string, @Query() query: Query, @Res() res: Response): void {
    const note = this.note(api, this.entityType(entity), Number(noteId));
    sendHal(res, note ? 200 : 204, note ? Serializer.for(this.store, api.account).note(note, withSet(query).has('is_pinned')) : null);
  }

  @Post(':entity/notes')
  createMany(@Api() api: ApiContext, @Param('entity') entity: string, @Body() body: unknown, @Res() res: Response): void {
    this.create(api, this.entityType(entity), null, body, res);
  }

  @Patch(':entity/notes')
  patchMany(@Api() api: ApiContext, @Param('entity') entity: string, @Body() body: unknown, @Res() res: Response): void {
    this.patch(api, this.entityType(entity), arrayBody(body), res);
  }

  @Patch(':entity/notes/:noteId')
  patchOne(@Api() api: ApiContext, @Param('entity') entity: string, @Param('noteId') noteId: string, @Body() body: unknown, @Res() res: Response): void {
    this.patch(api, this.entityType(entity), [{ ...objectBody(body), id: Number(noteId) }], res);
  }

  @Get(':entity/:id/notes')
  listOfEntity(@Api() api: ApiContext, @Param('entity') entity: string, @Param('id') id: string, @Query() query: Query, @Res() res: Response): void {
    this.list(api, this.entityType(entity), Number(id), query, res);
  }

  @Post(':entity/:id/notes')
  createForEntity(@Api() api: ApiContext, @Param('entity') entity: string, @Param('id') id: string, @Body() body: unknown, @Res() res: Response): void {
    this.create(api, this.entityType(entity), Number(id), body, res);
  }

  @Get(':entity/:id/notes/:noteId')
  getOfEntity(@Api() api: ApiContext, @Param('entity') entity: string, @Param('id') id: string, @Param('noteId') noteId: string, @Query() query: Query, @Res() res: Response): void {
    const note = this.note(api, this.entityType(entity), Number(noteId));
    const found = note && note.entityId === Number(id) ? note : undefined;
    sendHal(res, found ? 200 : 204, found ? Serializer.for(this.store, api.account).note(found, withSet(query).has('is_pinned')) : null);
  }

  @Patch(':entity/:id/notes/:noteId')
  patchOfEntity(@Api() api: ApiContext, @Param('entity') entity: string, @Param('id') id: string, @Param('noteId') noteId: string, @Body() body: unknown, @Res() res: Response): void {
    this.patch(api, this.entityType(entity), [{ ...objectBody(body), id: Number(noteId), entity_id: Number(id) }], res);
  }

  private list(api: ApiContext, type: EntityPlural, entityId: number | null, query: Query, res: Response): void {
    const filter = (query.filter ?? {}) as Query;
    const types = listParam(filter.note_type);
    const ids = listParam(filter.id).map(Number);
    const entityIds = listParam(filter.entity_id).map(Number);
    let notes = [...this.store.crm.notes.values()].filter((note) => note.accountId === api.account.id && note.entityType === type);
    if (entityId !== null) notes = notes.filter((note) => note.entityId === entityId);
    if (types.length > 0) notes = notes.filter((note) => types.includes(note.noteType));
    if (ids.length > 0) notes = notes.filter((note) => ids.includes(note.id));
    if (entityIds.length > 0) notes = notes.filter((note) => entityIds.includes(note.entityId));
    // filter[updated_at][from|to] (unix seconds, inclusive; a bare filter[updated_at] is one instant) — §5.
    const updated = updatedAtRange(filter.updated_at);
    if (updated === 'invalid') throw KommoProblem.of(400, 'filter[updated_at] must be unix seconds'); // Kommo's answer to a malformed filter: an assumption
    if (updated) notes = notes.filter((note) => note.updatedAt >= updated.from && note.updatedAt <= updated.to);
    const order = (query.order ?? {}) as Query;
    const [orderField, direction] = Object.entries(order)[0] ?? ['id', 'asc'];
    const key = orderField === 'updated_at' ? 'updatedAt' : 'id';
    notes.sort((a, b) => (a[key] - b[key] || a.id - b.id) * (direction === 'desc' ? -1 : 1));
    const page = paginate(notes, query);
    const serializer = Serializer.for(this.store, api.account);
    const pinned = withSet(query).has('is_pinned');
    const path = entityId === null ? `/api/v4/${type}/notes` : `/api/v4/${type}/${entityId}/notes`;
    sendHal(res, 200, halList(this.store.hostOf(api.account), path, 'notes', page, query, page.items.map((note) => serializer.note(note, pinned))));
  }

  private create(api: ApiContext, type: EntityPlural, pathEntityId: number | null, body: unknown, res: Response): void {
    const items = arrayBody(body);
    const validator = new Validator();
    items.forEach((item, index) => {
      validator.item(requestIdOf(item, index), (errors) => {
        const entityId = pathEntityId ?? item.entity_id;
        if (entityId === undefined) errors.push(err.required('entity_id'));
        else if (!isInt(entityId) || !this.crm.entityExists(api.account.id, type, entityId)) errors.push(err.notFound('entity_id'));
        this.validateNote(item, errors, true);
      });
    });
    validator.throwIfFailed();
    const now = this.store.now();
    const serializer = Serializer.for(this.store, api.account);
    const created = items.map((item, index) => {
      const entityId = (pathEntityId ?? item.entity_id) as number;
      const note = this.crm.addNote({
        accountId: api.account.id,
        entityType: type,
        entityId,
        noteType: item.note_type as string,
        params: (item.params ?? {}) as Item,
        createdBy: isInt(item.created_by) ? item.created_by : api.user.id,
        updatedBy: isInt(item.created_by) ? item.created_by : api.user.id,
        createdAt: isInt(item.created_at) ? item.created_at : now,
        updatedAt: isInt(item.created_at) ? item.created_at : now,
        responsibleUserId: isInt(item.responsible_user_id) ? item.responsible_user_id : api.user.id,
        groupId: 0,
        isPinned: false,
        origin: 'notes',
      });
      return { id: note.id, entity_id: entityId, request_id: requestIdOf(item, index), _links: { self: serializer.link(`/api/v4/${type}/${entityId}/notes/${note.id}`) } };
    });
    sendHal(res, 200, { _links: { self: serializer.link(`/api/v4/${type}/notes`) }, _embedded: { notes: created } });
  }

  private patch(api: ApiContext, type: EntityPlural, items: Item[], res: Response): void {
    const validator = new Validator();
    const targets: { note: NoteRecord; item: Item; requestId: string }[] = [];
    items.forEach((item, index) => {
      const requestId = requestIdOf(item, index);
      validator.item(requestId, (errors) => {
        const note = isInt(item.id) ? this.note(api, type, item.id) : undefined;
        if (!isInt(item.id)) errors.push(err.required('id'));
        else if (!note || (item.entity_id !== undefined && note.entityId !== item.entity_id)) errors.push(err.notFound('id'));
        this.validateNote(item, errors, false);
        if (note) targets.push({ note, item, requestId });
      });
    });
    validator.throwIfFailed();
    const now = this.store.now();
    const serializer = Serializer.for(this.store, api.account);
    const updated = targets.map(({ note, item, requestId }) => {
      if (typeof item.note_type === 'string') note.noteType = item.note_type;
      if (item.params && typeof item.params === 'object') note.params = { ...note.params, ...(item.params as Item) };
      if (isInt(item.responsible_user_id)) note.responsibleUserId = item.responsible_user_id;
      note.updatedAt = isInt(item.updated_at) ? item.updated_at : now;
      note.updatedBy = isInt(item.updated_by) ? item.updated_by : api.user.id;
      const singular = type === 'leads' ? 'lead' : type === 'contacts' ? 'contact' : 'company';
      this.crm.emitNote(note, singular);
      return { id: note.id, entity_id: note.entityId, updated_at: note.updatedAt, request_id: requestId, _links: { self: serializer.link(`/api/v4/${type}/${note.entityId}/notes/${note.id}`) } };
    });
    sendHal(res, 200, { _links: { self: serializer.link(`/api/v4/${type}/notes`) }, _embedded: { notes: updated } });
  }

  private validateNote(item: Item, errors: ValidationError[], creating: boolean): void {
    if (item.note_type === undefined) {
      if (creating) errors.push(err.required('note_type'));
    } else if (typeof item.note_type !== 'string' || !NOTE_TYPES.includes(item.note_type)) {
      errors.push(err.choice('note_type'));
    }
    if (item.params !== undefined && (typeof item.params !== 'object' || item.params === null || Array.isArray(item.params))) {
      errors.push(err.type('params', 'object'));
      return;
    }
    const params = (item.params ?? {}) as Item;
    if (item.note_type === 'call_in' || item.note_type === 'call_out') {
      if (creating) {
        if (typeof params.phone !== 'string' || params.phone === '') errors.push(err.required('params.phone'));
        if (!isInt(params.duration)) errors.push(params.duration === undefined ? err.required('params.duration') : err.type('params.duration', 'int'));
        if (typeof params.source !== 'string' || params.source === '') errors.push(err.required('params.source'));
      } else if (params.duration !== undefined && !isInt(params.duration)) {
        errors.push(err.type('params.duration', 'int'));
      }
    }
    if (item.note_type === 'common' && creating && typeof params.text !== 'string') errors.push(err.required('params.text'));
  }

  private note(api: ApiContext, type: EntityPlural, id: number): NoteRecord | undefined {
    const note = this.store.crm.notes.get(id);
    return note && note.accountId === api.account.id && note.entityType === type ? note : undefined;
  }

  private entityType(entity: string): EntityPlural {
    if (!ENTITIES.includes(entity)) throw KommoProblem.notFound(`Cannot find /api/v4/${entity}`);
    return entity as EntityPlural;
  }
}

/** `filter[updated_at]` as an inclusive range: `{from?, to?}` or one instant; null when absent. */
function updatedAtRange(value: unknown): { from: number; to: number } | null | 'invalid' {
  if (value === undefined) return null;
  const seconds = (raw: unknown): number | null | 'invalid' => {
    if (raw === undefined) return null;
    return typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : 'invalid';
  };
  if (typeof value === 'string') {
    const at = seconds(value);
    return at === null || at === 'invalid' ? 'invalid' : { from: at, to: at };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'invalid';
  const { from, to } = value as Record<string, unknown>;
  const [start, end] = [seconds(from), seconds(to)];
  if (start === 'invalid' || end === 'invalid' || (start === null && end === null)) return 'invalid';
  return { from: start ?? 0, to: end ?? Number.MAX_SAFE_INTEGER };
}
