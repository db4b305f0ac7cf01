import { Task } from './task';

export interface TaskQueue {
  enqueue(task: Task): Promise<void>;
}
