import { defaultAccountSettings } from '../../../account-settings/account-settings';
import { VoipConnectionRepository } from '../../../account-settings/voip-connection';
import { SettingsActor } from '../../../account-settings/settings-actor';
import { updateFromModalTask } from '../../../call/call-task';
import { KOMMO_CALL_STATUSES, KommoCallStatus } from '../../../call/kommo-call';
import { responsibleUserOf } from '../../../call/kommo-call-record';
import { AccountSettingsReader } from '../../../call/port/account-settings-reader.port';
import { CallRepository } from '../../../call/port/call.repository.port';
import { CallTaskQueue } from '../../../call/port/call-task-queue.port';
import { ExtensionDirectory } from '../../../call/port/extension-directory.port';
import { Clock } from '../../../shared/clock.port';
import { SecureRandom } from '../../../shared/secure-random.port';
import { CallActionError } from '../../click-to-call.errors';
import { KommoCardRef } from '../../kommo-entities.port';
import { findAccountCall } from '../find-call';

export const MAX_MODAL_RESULT_LENGTH = 1_000;
export const MAX_MODAL_TASK_TEXT_LENGTH = 1_000;

export interface SubmitCallResultCommand {
  readonly actor: SettingsActor;
  /** Our call id or a provider's id of one of its legs. */
  readonly callId: string;
  readonly entity: KommoCardRef | null;
  readonly callStatus: KommoCallStatus | null;
  readonly result: string | null;
  readonly task: { readonly typeId: number; readonly dueAt: Date; readonly text: string; readonly responsibleUserId: number | null } | null;
  /** The widget's id for this Save click: a retried request changes nothing more. */
  readonly requestId: string | null;
}

/**
 * The manager saves the call-result modal: checked here (the call is theirs, or they are an admin; the task
 * is due in the future), then queued as UpdateFromModal — the worker moves/updates the one call note and
 * creates the task, once the call is logged.
 */
export class SubmitCallResultUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly connections: VoipConnectionRepository,
    private readonly extensions: ExtensionDirectory,
    private readonly settings: AccountSettingsReader,
    private readonly queue: CallTaskQueue,
    private readonly clock: Clock,
    private readonly random: SecureRandom,
  ) {}

  async execute(command: SubmitCallResultCommand): Promise<{ readonly callId: string; readonly submissionId: string }> {
    const { actor } = command;
    const now = this.clock.now();
    const problems = validate(command, now);
    if (problems.length > 0) throw new CallActionError('invalid_request', problems.join('; '));
    const call = await findAccountCall(this.calls, this.connections, actor.accountId, command.callId);
    if (!actor.isAdmin) {
      const settings = (await this.settings.find(actor.accountId)) ?? defaultAccountSettings(actor.accountId);
      const manager = await responsibleUserOf(call, settings, this.extensions);
      if (manager !== actor.userId) throw new CallActionError('forbidden', 'Only the manager of this call or an administrator can save its result');
    }
    const submissionId = command.requestId ?? this.random.token(16);
    await this.queue.enqueue(
      updateFromModalTask({
        accountId: actor.accountId,
        callId: call.id,
        submissionId,
        submittedAt: now.toISOString(),
        userId: actor.userId,
        resultText: command.result,
        callStatus: command.callStatus,
        entity: command.entity,
        task: command.task && { ...command.task, dueAt: command.task.dueAt.toISOString() },
      }),
    );
    return { callId: call.id, submissionId };
  }
}

function validate(command: SubmitCallResultCommand, now: Date): string[] {
  const problems: string[] = [];
  if (command.requestId !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(command.requestId)) problems.push('requestId: 1–64 letters, digits, "_" or "-"');
  if (command.entity && (!Number.isSafeInteger(command.entity.id) || command.entity.id <= 0)) problems.push('entity.id: a positive integer');
  if (command.callStatus !== null && !KOMMO_CALL_STATUSES.includes(command.callStatus)) problems.push('callStatus: one of 1..7');
  if ((command.result?.length ?? 0) > MAX_MODAL_RESULT_LENGTH) problems.push(`result: at most ${MAX_MODAL_RESULT_LENGTH} characters`);
  const task = command.task;
  if (task) {
    if (!Number.isSafeInteger(task.typeId) || task.typeId <= 0) problems.push('task.typeId: a positive integer (1 follow-up call, 2 meeting)');
    if (Number.isNaN(task.dueAt.getTime())) problems.push('task.dueAt: an ISO date');
    else if (task.dueAt.getTime() <= now.getTime()) problems.push('task.dueAt: must be in the future');
    if (!task.text.trim()) problems.push('task.text: must not be empty');
    if (task.text.length > MAX_MODAL_TASK_TEXT_LENGTH) problems.push(`task.text: at most ${MAX_MODAL_TASK_TEXT_LENGTH} characters`);
    if (task.responsibleUserId !== null && (!Number.isSafeInteger(task.responsibleUserId) || task.responsibleUserId <= 0)) {
      problems.push('task.responsibleUserId: a positive integer');
    }
  }
  return problems;
}
