import { TaskName } from '@app/domain';

/** Queue names are persisted in Redis: a public contract, never renamed while jobs may be queued. */
export enum QueueName {
  KommoSync = 'kommo-sync',
  /** Provider call webhooks, one job per inbox row. */
  CallWebhooks = 'call-webhooks',
}

/** Which queue carries each task. Every TaskName must be here (checked by a unit test). */
export const QUEUE_OF_TASK: Readonly<Record<TaskName, QueueName>> = {
  [TaskName.SyncKommoUsers]: QueueName.KommoSync,
  [TaskName.ProcessCallWebhook]: QueueName.CallWebhooks,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
