import { CallResultWrites, KommoAccessTokens, KommoEntityRef, KommoNoteRef, NewFollowUpTask } from '@app/domain';
import { KommoHttp } from '../kommo-http';
import { ENTITY_PLURAL, positiveInt, unixSeconds } from './kommo-call.wire';
import { asRecord, KommoRawApiClient, writeFailure } from './kommo-raw-api.client';
import { KommoTasksClient } from './kommo-tasks.client';

export interface KommoCallResultWritesOptions {
  /**
   * What a call note becomes once its call moved to another card. Kommo's API has no note DELETE; PATCH takes
   * `note_type` + `params` (kommo-api.md §5). Whether Kommo lets PATCH change a note's type is UNCONFIRMED —
   * hence configurable: `common` (a plain note naming where the call went) by default.
   */
  readonly retiredNoteType: string;
  readonly retiredNoteText: (movedTo: KommoEntityRef) => string;
}

export const DEFAULT_KOMMO_CALL_RESULT_WRITES_OPTIONS: KommoCallResultWritesOptions = {
  retiredNoteType: 'common',
  retiredNoteText: (movedTo) => `This call was moved to ${movedTo.type} #${movedTo.id} by the manager.`,
};

/** The call-result modal's Kommo writes besides the call note: retiring a moved note, follow-up tasks (§8). */
export class KommoCallResultWritesAdapter implements CallResultWrites {
  private readonly api: KommoRawApiClient;
  private readonly tasks: KommoTasksClient;

  constructor(
    http: KommoHttp,
    tokens: KommoAccessTokens,
    private readonly options: KommoCallResultWritesOptions = DEFAULT_KOMMO_CALL_RESULT_WRITES_OPTIONS,
  ) {
    this.api = new KommoRawApiClient(http, tokens);
    this.tasks = new KommoTasksClient(http, tokens);
  }

  async retireCallNote(accountId: number, note: KommoNoteRef, movedTo: KommoEntityRef): Promise<void> {
    const response = await this.api.write(accountId, {
      method: 'PATCH',
      path: `/api/v4/${ENTITY_PLURAL[note.entity.type]}/notes/${note.noteId}`,
      body: { note_type: this.options.retiredNoteType, params: { text: this.options.retiredNoteText(movedTo) } },
    });
    // Gone already (deleted by a user): nothing left to retire.
    if (response.status === 204 || response.status === 404) return;
    if (response.status !== 200) throw writeFailure(response);
  }

  createTask(accountId: number, task: NewFollowUpTask): Promise<{ readonly taskId: number }> {
    return this.tasks.create(accountId, { text: task.text, completeTill: task.completeTill, taskTypeId: task.typeId, responsibleUserId: task.responsibleUserId, entity: task.entity });
  }

  async findSameTask(accountId: number, task: NewFollowUpTask): Promise<{ readonly taskId: number } | null> {
    const filters = [`filter[responsible_user_id][]=${task.responsibleUserId}`, `filter[task_type][]=${task.typeId}`, 'filter[is_completed]=0'];
    if (task.entity) filters.push(`filter[entity_type]=${ENTITY_PLURAL[task.entity.type]}`, `filter[entity_id][]=${task.entity.id}`);
    const response = await this.api.read(accountId, { method: 'GET', path: `/api/v4/tasks?${filters.join('&')}&limit=250` });
    if (response.status === 204) return null;
    const tasks = asRecord(asRecord(response.body)?._embedded)?.tasks;
    const match = (Array.isArray(tasks) ? tasks : [])
      .map((raw) => asRecord(raw))
      .find((raw) => raw?.text === task.text && raw?.complete_till === unixSeconds(task.completeTill));
    const taskId = positiveInt(match?.id);
    return taskId === null ? null : { taskId };
  }
}
