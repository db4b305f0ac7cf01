import { syncKommoUsersTask, TaskName } from './task';

describe('syncKommoUsersTask', () => {
  it('builds the users sync task of an account with a reason-specific dedupe key', () => {
    expect(syncKommoUsersTask(42, 'connect-1700000000000')).toEqual({
      name: TaskName.SyncKommoUsers,
      payload: { accountId: 42 },
      dedupeKey: '42-connect-1700000000000',
      accountId: 42,
    });
  });

  it('gives different reasons different dedupe keys and different accounts different keys', () => {
    const keys = new Set([
      syncKommoUsersTask(1, 'a').dedupeKey,
      syncKommoUsersTask(1, 'b').dedupeKey,
      syncKommoUsersTask(2, 'a').dedupeKey,
    ]);
    expect(keys.size).toBe(3);
  });

  it('uses the persisted task name contract', () => {
    expect(TaskName.SyncKommoUsers).toBe('kommo.sync-users');
  });
});
