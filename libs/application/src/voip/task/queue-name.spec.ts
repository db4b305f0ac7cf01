import { CallTaskName, TaskName } from '@app/domain';
import { ALL_QUEUES, QUEUE_OF_TASK, QueueName } from './queue-name';

describe('queue names', () => {
  it.each([...Object.values(TaskName), ...Object.values(CallTaskName)])('gives the task %p a queue', (taskName) => {
    expect(ALL_QUEUES).toContain(QUEUE_OF_TASK[taskName]);
  });

  it('maps nothing but task names', () => {
    expect(Object.keys(QUEUE_OF_TASK).sort()).toEqual([...Object.values(TaskName), ...Object.values(CallTaskName)].sort());
  });

  it('lists every queue once, with kebab-case names', () => {
    expect(ALL_QUEUES).toEqual(Object.values(QueueName));
    expect(new Set(ALL_QUEUES).size).toBe(ALL_QUEUES.length);
    for (const queue of ALL_QUEUES) expect(queue).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('keeps the persisted names stable', () => {
    expect(QueueName.KommoSync).toBe('kommo-sync');
    expect(QUEUE_OF_TASK[TaskName.SyncKommoUsers]).toBe(QueueName.KommoSync);
  });
});
