import { CallTask } from '../call/call-task';
import { Task } from './task';

/** Any work the queues carry: account tasks and the call pipeline's tasks share one shape. */
export type AnyTask = Task | CallTask;

export interface TaskQueue {
  enqueue(task: AnyTask): Promise<void>;
}
