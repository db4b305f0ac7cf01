import { KommoAccessTokens, KommoEntityRef } from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { KommoApiError } from '../kommo.errors';
import { ENTITY_PLURAL, positiveInt, unixSeconds } from './kommo-call.wire';
import { asRecord, KommoRawApiClient, writeFailure } from './kommo-raw-api.client';

/** Kommo task type 1: "Follow-up" (historically "Call"), kommo-api.md §8. */
export const KOMMO_FOLLOW_UP_TASK_TYPE = 1;

export interface NewKommoTask {
  readonly text: string;
  /** null: Kommo's default (the token's user). */
  readonly responsibleUserId: number | null;
  readonly completeTill: Date;
  /** The card the task belongs to; null: a free task. */
  readonly entity: KommoEntityRef | null;
  readonly taskTypeId?: number;
}

/**
 * The Kommo half of callback tasks (kommo-api.md §8): create, complete, is-open. The local record (one open
 * callback task per caller) lives elsewhere. Write failures follow the call log's contract:
 * `KommoWriteNotAppliedError` only when Kommo surely stored nothing, `KommoApiError` when it may have.
 */
export class KommoTasksClient {
  private readonly api: KommoRawApiClient;

  constructor(http: KommoHttp, tokens: KommoAccessTokens) {
    this.api = new KommoRawApiClient(http, tokens);
  }

  async create(accountId: number, task: NewKommoTask): Promise<{ readonly taskId: number }> {
    const item: Record<string, unknown> = {
      text: task.text,
      complete_till: unixSeconds(task.completeTill),
      task_type_id: task.taskTypeId ?? KOMMO_FOLLOW_UP_TASK_TYPE,
      request_id: '0',
    };
    if (task.responsibleUserId !== null) item.responsible_user_id = task.responsibleUserId;
    if (task.entity) {
      item.entity_id = task.entity.id;
      item.entity_type = ENTITY_PLURAL[task.entity.type];
    }
    const response = await this.api.write(accountId, { method: 'POST', path: '/api/v4/tasks', body: [item] });
    if (response.status !== 200) throw writeFailure(response);
    const tasks = asRecord(asRecord(response.body)?._embedded)?.tasks;
    const taskId = positiveInt(Array.isArray(tasks) ? asRecord(tasks[0])?.id : undefined);
    if (taskId === null) throw new KommoApiError(200, 'task created without an id in the answer', true);
    return { taskId };
  }

  /**
   * Marks the task done with a result. Idempotent: a task already completed (by us or by a manager, whose
   * result text is kept) or gone from Kommo is left alone.
   */
  async complete(accountId: number, taskId: number, resultText: string): Promise<void> {
    const task = await this.find(accountId, taskId);
    if (!task || task.is_completed === true) return;
    const response = await this.api.write(accountId, {
      method: 'PATCH',
      path: `/api/v4/tasks/${taskId}`,
      body: { is_completed: true, result: { text: resultText } },
    });
    if (response.status !== 200) throw writeFailure(response);
  }

  /** true: the task exists and is not completed. */
  async isOpen(accountId: number, taskId: number): Promise<boolean> {
    const task = await this.find(accountId, taskId);
    return task !== null && task.is_completed === false;
  }

  /** Kommo documents no GET /tasks/{id}: the list filtered by id (204 = no such task). */
  private async find(accountId: number, taskId: number): Promise<Record<string, unknown> | null> {
    const response = await this.api.read(accountId, { method: 'GET', path: `/api/v4/tasks?filter[id][]=${taskId}` });
    if (response.status === 204) return null;
    const tasks = asRecord(asRecord(response.body)?._embedded)?.tasks;
    const list = Array.isArray(tasks) ? tasks.map((task) => asRecord(task)) : [];
    return list.find((task) => task?.id === taskId) ?? null;
  }
}
