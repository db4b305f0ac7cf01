import { CallTaskName, TaskName } from '@app/domain';

/** Queue names are persisted in Redis: a public contract, never renamed while jobs may be queued. */
export enum QueueName {
  KommoSync = 'kommo-sync',
  /** Provider call webhooks, one job per inbox row. */
  CallWebhooks = 'call-webhooks',
  /** The call pipeline toward Kommo: logging, recordings, callback tasks, call results. */
  CallLogging = 'call-logging',
}

/** Every task name the queues carry (account/sync tasks and the call pipeline's). */
export type AnyTaskName = TaskName | CallTaskName;

/** Which queue carries each task. Every TaskName must be here (checked by a unit test). */
export const QUEUE_OF_TASK: Readonly<Record<AnyTaskName, QueueName>> = {
  [TaskName.SyncKommoUsers]: QueueName.KommoSync,
  [TaskName.ProcessCallWebhook]: QueueName.CallWebhooks,
  // SaveCallEvent runs inside ProcessCallWebhook (the inbox row is the delivery); the name is mapped for replays.
  [CallTaskName.SaveCallEvent]: QueueName.CallWebhooks,
  [CallTaskName.AddCall]: QueueName.CallLogging,
  [CallTaskName.AttachRecording]: QueueName.CallLogging,
  [CallTaskName.CreateCallbackTask]: QueueName.CallLogging,
  [CallTaskName.CompleteCallbackTask]: QueueName.CallLogging,
  [CallTaskName.UpdateFromModal]: QueueName.CallLogging,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
