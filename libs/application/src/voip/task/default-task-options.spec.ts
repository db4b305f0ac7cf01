import { syncKommoUsersTask, TaskName } from '@app/domain';
import { DEFAULT_TASK_OPTIONS, jobIdFor, TASK_BACKOFF, taskBackoffDelay } from './default-task-options';

describe('jobIdFor', () => {
  it('joins the task name and the dedupe key with "-"', () => {
    expect(jobIdFor('kommo.sync-users', '42-connect-1700000000000')).toBe('kommo.sync-users-42-connect-1700000000000');
  });

  it.each([
    ['kommo.sync-users', 'a:b'],
    ['x:y', '::'],
    ['name', 'kommo_account:42:refresh'],
    [':', ':'],
  ])('never contains ":" (%p, %p)', (name, key) => {
    expect(jobIdFor(name, key)).not.toContain(':');
  });

  it('never contains ":" for the tasks the domain builds', () => {
    const task = syncKommoUsersTask(42, 'reason:with:colons');
    expect(jobIdFor(task.name, task.dedupeKey)).not.toContain(':');
    expect(jobIdFor(task.name, task.dedupeKey)).toBe(`${TaskName.SyncKommoUsers}-42-reason-with-colons`);
  });

  it('keeps distinct dedupe keys distinct', () => {
    expect(jobIdFor('t', '42-a')).not.toBe(jobIdFor('t', '42-b'));
  });
});

describe('DEFAULT_TASK_OPTIONS', () => {
  it('retries with exponential backoff and bounds retention', () => {
    expect(DEFAULT_TASK_OPTIONS.attempts).toBeGreaterThan(1);
    expect(DEFAULT_TASK_OPTIONS.backoff).toMatchObject({ type: TASK_BACKOFF });
    expect(DEFAULT_TASK_OPTIONS.removeOnComplete).toEqual(expect.objectContaining({ age: expect.any(Number), count: expect.any(Number) }));
    expect(DEFAULT_TASK_OPTIONS.removeOnFail).toEqual(expect.objectContaining({ age: expect.any(Number) }));
  });
});

describe('taskBackoffDelay', () => {
  it('is exponential (2, 6, 14, 30 s), then once a minute', () => {
    expect([1, 2, 3, 4, 5, 11].map((attempts) => taskBackoffDelay(attempts, new Error('x')))).toEqual([2000, 6000, 14000, 30000, 60000, 60000]);
  });

  it('keeps a call trying for several minutes before it fails for good', () => {
    const attempts = DEFAULT_TASK_OPTIONS.attempts!;
    const total = Array.from({ length: attempts - 1 }, (_, index) => taskBackoffDelay(index + 1, null)).reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThan(5 * 60_000); // longer than AddCall's 120 s claim lease, with room for a Kommo outage
  });

  it('waits at least what the error asks (capped at 10 min)', () => {
    expect(taskBackoffDelay(1, Object.assign(new Error('in flight'), { retryAfterMs: 60_000 }))).toBe(60_000);
    expect(taskBackoffDelay(5, Object.assign(new Error('in flight'), { retryAfterMs: 1_000 }))).toBe(60_000);
    expect(taskBackoffDelay(1, Object.assign(new Error('x'), { retryAfterMs: 10 ** 9 }))).toBe(600_000);
    expect(taskBackoffDelay(1, null)).toBe(2000);
  });
});
