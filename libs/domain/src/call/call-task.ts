import { CallEvent, CallEventPayload, toCallEventPayload } from './call-event';
import { CallModalResult } from './call';
import { KommoCallStatus, KommoEntityType } from './kommo-call';

/**
 * The call pipeline's queue contract (spec tree Voip/Task). Names are persisted in Redis: never rename one
 * while jobs with it may be queued. Same shape as `Task` so the Bull adapter can carry both.
 */
export enum CallTaskName {
  SaveCallEvent = 'voip.save-call-event',
  AddCall = 'voip.add-call',
  AttachRecording = 'voip.attach-recording',
  CreateCallbackTask = 'voip.create-callback-task',
  CompleteCallbackTask = 'voip.complete-callback-task',
  UpdateFromModal = 'voip.update-from-modal',
}

export interface ModalResultPayload {
  readonly accountId: number;
  /** Our call id, or the provider's id of any leg of the call (what the softphone knows). */
  readonly callId?: string;
  readonly provider?: string;
  readonly providerCallId?: string;
  readonly submissionId: string;
  /** ISO-8601. */
  readonly submittedAt: string;
  readonly userId: number;
  readonly resultText: string | null;
  readonly callStatus: KommoCallStatus | null;
  /** The card the manager linked the call to (the note moves there). */
  readonly entity?: { readonly type: KommoEntityType; readonly id: number } | null;
  /** Follow-up task of this submission; `dueAt` ISO-8601. */
  readonly task?: {
    readonly typeId: number;
    readonly dueAt: string;
    readonly text: string;
    readonly responsibleUserId: number | null;
  } | null;
}

export interface CallTaskPayloads {
  [CallTaskName.SaveCallEvent]: { readonly event: CallEventPayload };
  [CallTaskName.AddCall]: { readonly accountId: number; readonly callId: string };
  [CallTaskName.AttachRecording]: { readonly accountId: number; readonly callId: string };
  [CallTaskName.CreateCallbackTask]: { readonly accountId: number; readonly callId: string };
  [CallTaskName.CompleteCallbackTask]: { readonly accountId: number; readonly callId: string };
  [CallTaskName.UpdateFromModal]: ModalResultPayload;
}

export interface CallTask<N extends CallTaskName = CallTaskName> {
  readonly name: N;
  readonly payload: CallTaskPayloads[N];
  readonly dedupeKey: string;
  readonly accountId: number;
}

/** Dedupe = the delivery's idempotency key: a redelivered webhook is one job. */
export function saveCallEventTask(event: CallEvent): CallTask<CallTaskName.SaveCallEvent> {
  return {
    name: CallTaskName.SaveCallEvent,
    payload: { event: toCallEventPayload(event) },
    dedupeKey: `${event.accountId}-${event.idempotencyKey}`,
    accountId: event.accountId,
  };
}

/** Dedupe = call id: one log job per call (the ledger guards beyond the job's lifetime). */
export function addCallTask(accountId: number, callId: string): CallTask<CallTaskName.AddCall> {
  return { name: CallTaskName.AddCall, payload: { accountId, callId }, dedupeKey: callId, accountId };
}

/** Dedupe = call id + note revision: each change of what the note should show is one update job. */
export function attachRecordingTask(accountId: number, callId: string, kommoRevision: number): CallTask<CallTaskName.AttachRecording> {
  return { name: CallTaskName.AttachRecording, payload: { accountId, callId }, dedupeKey: `${callId}-r${kommoRevision}`, accountId };
}

export function createCallbackTaskTask(accountId: number, callId: string): CallTask<CallTaskName.CreateCallbackTask> {
  return { name: CallTaskName.CreateCallbackTask, payload: { accountId, callId }, dedupeKey: callId, accountId };
}

export function completeCallbackTaskTask(accountId: number, callId: string): CallTask<CallTaskName.CompleteCallbackTask> {
  return { name: CallTaskName.CompleteCallbackTask, payload: { accountId, callId }, dedupeKey: callId, accountId };
}

/**
 * Dedupe = the modal submission (the widget generates one id per Save click). `afterLogging`: the same
 * submission run again once the call is in Kommo (its note move / task waited for the call to be logged).
 */
export function updateFromModalTask(payload: ModalResultPayload, afterLogging = false): CallTask<CallTaskName.UpdateFromModal> {
  return {
    name: CallTaskName.UpdateFromModal,
    payload,
    dedupeKey: `${payload.accountId}-${payload.submissionId}${afterLogging ? '-logged' : ''}`,
    accountId: payload.accountId,
  };
}

/** A stored submission as the payload of its UpdateFromModal job. */
export function modalResultPayloadOf(accountId: number, callId: string, result: CallModalResult): ModalResultPayload {
  return {
    accountId,
    callId,
    submissionId: result.submissionId,
    submittedAt: result.submittedAt.toISOString(),
    userId: result.userId,
    resultText: result.resultText,
    callStatus: result.callStatus,
    entity: result.entity ? { type: result.entity.type, id: result.entity.id } : null,
    task: result.task
      ? { typeId: result.task.typeId, dueAt: result.task.dueAt.toISOString(), text: result.task.text, responsibleUserId: result.task.responsibleUserId }
      : null,
  };
}
