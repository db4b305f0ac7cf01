import { CallTask } from '../call-task';

/** Same contract as `TaskQueue` (job id = `<name>-<dedupeKey>`), for the call pipeline's tasks. */
export interface CallTaskQueue {
  enqueue(task: CallTask): Promise<void>;
}
