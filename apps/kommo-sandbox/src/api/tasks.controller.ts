import { Body, Controller, Get, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { halList, listParam, paginate, sendHal } from '../http/hal';
import { ValidationError } from '../http/problem';
import { EntityPlural, TaskRecord } from '../store/model';
import { SandboxStore } from '../store/sandbox-store';
import { Api, ApiAuthGuard, type ApiContext } from './api-auth.guard';
import { arrayBody, err, isInt, isText, Item, objectBody, requestIdOf, Validator } from './body';
import { CrmService } from './crm.service';
import { Serializer } from './serializers';
import { WebhookSender } from './webhook.sender';

type Query = Record<string, unknown>;

const ENTITY_TYPES: readonly string[] = ['leads', 'contacts', 'companies'];

/** Tasks (§8): create (array), list with filters, patch (complete with a result). No DELETE. */
@Controller('api/v4/tasks')
@UseGuards(ApiAuthGuard)
export class TasksController {
  constructor(
    private readonly store: SandboxStore,
    private readonly crm: CrmService,
    private readonly webhooks: WebhookSender,
  ) {}

  @Get()
  list(@Api() api: ApiContext, @Query() query: Query, @Res() res: Response): void {
    const filter = (query.filter ?? {}) as Query;
    let tasks = [...this.store.crm.tasks.values()].filter((task) => task.accountId === api.account.id);
    const responsible = listParam(filter.responsible_user_id).map(Number);
    if (responsible.length > 0) tasks = tasks.filter((task) => responsible.includes(task.responsibleUserId));
    if (filter.is_completed !== undefined) tasks = tasks.filter((task) => task.isCompleted === (String(filter.is_completed) === '1' || filter.is_completed === 'true'));
    const types = listParam(filter.task_type).map(Number);
    if (types.length > 0) tasks = tasks.filter((task) => types.includes(task.taskTypeId));
    const entityTypes = listParam(filter.entity_type);
    if (entityTypes.length > 0) tasks = tasks.filter((task) => task.entityType !== null && entityTypes.includes(task.entityType));
    const entityIds = listParam(filter.entity_id).map(Number);
    if (entityIds.length > 0) tasks = tasks.filter((task) => task.entityId !== null && entityIds.includes(task.entityId));
    const ids = listParam(filter.id).map(Number);
    if (ids.length > 0) tasks = tasks.filter((task) => ids.includes(task.id));
    const order = (query.order ?? {}) as Query;
    const [orderField, direction] = Object.entries(order)[0] ?? ['id', 'asc'];
    const key = orderField === 'created_at' ? 'createdAt' : orderField === 'complete_till' ? 'completeTill' : 'id';
    tasks.sort((a, b) => (a[key] - b[key] || a.id - b.id) * (direction === 'desc' ? -1 : 1));
    const page = paginate(tasks, query);
    const serializer = Serializer.for(this.store, api.account);
    sendHal(res, 200, halList(this.store.hostOf(api.account), '/api/v4/tasks', 'tasks', page, query, page.items.map((task) => serializer.task(task))));
  }

  @Post()
  create(@Api() api: ApiContext, @Body() body: unknown, @Res() res: Response): void {
    const items = arrayBody(body);
    const validator = new Validator();
    items.forEach((item, index) => {
      validator.item(requestIdOf(item, index), (errors) => {
        if (!isText(item.text)) errors.push(item.text === undefined ? err.required('text') : err.type('text', 'string'));
        if (!isInt(item.complete_till)) errors.push(item.complete_till === undefined ? err.required('complete_till') : err.type('complete_till', 'int'));
        this.validate(api, item, errors);
      });
    });
    validator.throwIfFailed();
    const now = this.store.now();
    const serializer = Serializer.for(this.store, api.account);
    const created = items.map((item, index) => {
      const task: TaskRecord = {
        id: this.store.crm.nextId('task'),
        accountId: api.account.id,
        text: item.text as string,
        completeTill: item.complete_till as number,
        taskTypeId: isInt(item.task_type_id) ? item.task_type_id : 1,
        entityId: isInt(item.entity_id) ? item.entity_id : null,
        entityType: typeof item.entity_type === 'string' ? (item.entity_type as EntityPlural) : null,
        responsibleUserId: isInt(item.responsible_user_id) ? item.responsible_user_id : api.user.id,
        isCompleted: item.is_completed === true,
        duration: isInt(item.duration) ? item.duration : 0,
        result: resultOf(item.result),
        createdBy: isInt(item.created_by) ? item.created_by : api.user.id,
        updatedBy: isInt(item.updated_by) ? item.updated_by : api.user.id,
        createdAt: isInt(item.created_at) ? item.created_at : now,
        updatedAt: isInt(item.updated_at) ? item.updated_at : now,
      };
      this.store.crm.tasks.set(task.id, task);
      this.emit('add_task', task);
      return { id: task.id, request_id: requestIdOf(item, index), _links: { self: serializer.link(`/api/v4/tasks/${task.id}`) } };
    });
    sendHal(res, 200, { _links: { self: serializer.link('/api/v4/tasks') }, _embedded: { tasks: created } });
  }

  @Patch()
  patchMany(@Api() api: ApiContext, @Body() body: unknown, @Res() res: Response): void {
    this.patch(api, arrayBody(body), res);
  }

  @Patch(':id')
  patchOne(@Api() api: ApiContext, @Param('id') id: string, @Body() body: unknown, @Res() res: Response): void {
    this.patch(api, [{ ...objectBody(body), id: Number(id) }], res);
  }

  private patch(api: ApiContext, items: Item[], res: Response): void {
    const validator = new Validator();
    const targets: { task: TaskRecord; item: Item; requestId: string }[] = [];
    items.forEach((item, index) => {
      const requestId = requestIdOf(item, index);
      validator.item(requestId, (errors) => {
        const task = isInt(item.id) ? this.store.crm.tasks.get(item.id) : undefined;
        if (!isInt(item.id)) errors.push(err.required('id'));
        else if (!task || task.accountId !== api.account.id) errors.push(err.notFound('id'));
        if (item.text !== undefined && !isText(item.text)) errors.push(err.type('text', 'string'));
        if (item.complete_till !== undefined && !isInt(item.complete_till)) errors.push(err.type('complete_till', 'int'));
        this.validate(api, item, errors);
        if (task && task.accountId === api.account.id) targets.push({ task, item, requestId });
      });
    });
    validator.throwIfFailed();
    const now = this.store.now();
    const serializer = Serializer.for(this.store, api.account);
    const updated = targets.map(({ task, item, requestId }) => {
      if (typeof item.text === 'string') task.text = item.text;
      if (isInt(item.complete_till)) task.completeTill = item.complete_till;
      if (isInt(item.task_type_id)) task.taskTypeId = item.task_type_id;
      if (isInt(item.responsible_user_id)) task.responsibleUserId = item.responsible_user_id;
      if (typeof item.is_completed === 'boolean') task.isCompleted = item.is_completed;
      if (isInt(item.duration)) task.duration = item.duration;
      if (item.result !== undefined) task.result = resultOf(item.result);
      if (isInt(item.entity_id)) task.entityId = item.entity_id;
      if (typeof item.entity_type === 'string') task.entityType = item.entity_type as EntityPlural;
      task.updatedAt = now;
      task.updatedBy = api.user.id;
      this.emit('update_task', task);
      return { id: task.id, updated_at: task.updatedAt, request_id: requestId, _links: { self: serializer.link(`/api/v4/tasks/${task.id}`) } };
    });
    sendHal(res, 200, { _links: { self: serializer.link('/api/v4/tasks') }, _embedded: { tasks: updated } });
  }

  private validate(api: ApiContext, item: Item, errors: ValidationError[]): void {
    if (item.task_type_id !== undefined && (!isInt(item.task_type_id) || item.task_type_id < 1)) errors.push(err.choice('task_type_id'));
    if (item.responsible_user_id !== undefined && (!isInt(item.responsible_user_id) || !this.store.user(api.account.id, item.responsible_user_id))) {
      errors.push(err.choice('responsible_user_id'));
    }
    if (item.is_completed !== undefined && typeof item.is_completed !== 'boolean') errors.push(err.type('is_completed', 'bool'));
    if (item.entity_type !== undefined || item.entity_id !== undefined) {
      if (typeof item.entity_type !== 'string' || !ENTITY_TYPES.includes(item.entity_type)) errors.push(err.choice('entity_type'));
      else if (!isInt(item.entity_id) || !this.crm.entityExists(api.account.id, item.entity_type as EntityPlural, item.entity_id)) errors.push(err.notFound('entity_id'));
    }
  }

  private emit(event: 'add_task' | 'update_task', task: TaskRecord): void {
    const elementType = task.entityType === 'contacts' ? 1 : task.entityType === 'leads' ? 2 : task.entityType === 'companies' ? 3 : 0;
    const date = (seconds: number) => new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
    this.webhooks.emit(task.accountId, event, {
      task: {
        [event === 'add_task' ? 'add' : 'update']: [
          {
            id: task.id,
            element_id: task.entityId ?? 0,
            element_type: elementType,
            task_type: task.taskTypeId,
            date_create: date(task.createdAt),
            last_modified: date(task.updatedAt),
            text: task.text,
            status: task.isCompleted ? 1 : 0,
            responsible_user_id: task.responsibleUserId,
            complete_before: task.completeTill,
            action_close: task.isCompleted ? 1 : 0,
            result: task.result ?? { text: '' },
            account_id: task.accountId,
          },
        ],
      },
    });
  }
}

function resultOf(value: unknown): { text: string } | null {
  if (value && typeof value === 'object' && typeof (value as Item).text === 'string') return { text: (value as Item).text as string };
  return null;
}
