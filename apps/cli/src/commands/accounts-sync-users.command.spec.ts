import { KommoAccount, TaskName } from '@app/domain';
import { FakeTaskQueue, FixedClock, InMemoryKommoAccountRepository } from '../../../../libs/domain/test/fakes';
import { queueUserSyncs } from './accounts-sync-users.command';

describe('queueUserSyncs', () => {
  const clock = new FixedClock();
  const account = (id: number) =>
    KommoAccount.connect({
      id,
      subdomain: `a${id}`,
      host: `a${id}.kommo.com`,
      name: 'A',
      grant: { accessToken: 'a', refreshToken: 'r', expiresInSeconds: 3600 },
      now: clock.now(),
    });

  it('queues one sync per connected account and names the ones it skipped', async () => {
    const accounts = new InMemoryKommoAccountRepository();
    const queue = new FakeTaskQueue();
    accounts.seed(account(1));
    const blocked = account(2);
    blocked.markNeedsReauth('refused', clock.now());
    accounts.seed(blocked);

    const report = await queueUserSyncs(accounts, queue, 'cli-1');

    expect(report).toEqual({ queued: [1], skipped: [{ id: 2, status: 'needs_reauth' }] });
    expect(queue.enqueued).toEqual([expect.objectContaining({ name: TaskName.SyncKommoUsers, accountId: 1, dedupeKey: '1-cli-1' })]);
  });

  it('queues one account on request, and says so when it does not exist', async () => {
    const accounts = new InMemoryKommoAccountRepository();
    const queue = new FakeTaskQueue();
    accounts.seed(account(1));
    accounts.seed(account(3));

    expect(await queueUserSyncs(accounts, queue, 'cli-2', 3)).toEqual({ queued: [3], skipped: [] });
    await expect(queueUserSyncs(accounts, queue, 'cli-2', 99)).rejects.toThrow('No Kommo account 99');
  });
});
