import { aKommoUser, FakeKommoUserDirectory, FixedClock, InMemoryKommoUserRepository } from '../../../../test/fakes';
import { KommoUnavailableError } from '../../kommo-authentication.errors';
import { SyncKommoUsersUseCase } from './sync-kommo-users.use-case';

describe('SyncKommoUsersUseCase', () => {
  let clock: FixedClock;
  let directory: FakeKommoUserDirectory;
  let users: InMemoryKommoUserRepository;
  let sut: SyncKommoUsersUseCase;

  beforeEach(async () => {
    clock = new FixedClock();
    directory = new FakeKommoUserDirectory();
    users = new InMemoryKommoUserRepository();
    sut = new SyncKommoUsersUseCase(directory, users, clock);
    await users.replaceForAccount(42, [aKommoUser({ accountId: 42, id: 1 }), aKommoUser({ accountId: 42, id: 2 })], clock.now());
    await users.replaceForAccount(7, [aKommoUser({ accountId: 7, id: 1 })], clock.now());
    clock.advance(3_600_000);
  });

  it('replaces the account’s users with Kommo’s list (users gone from Kommo are removed)', async () => {
    const kommoUsers = [
      aKommoUser({ accountId: 42, id: 2, name: 'Renamed', isAdmin: true }),
      aKommoUser({ accountId: 42, id: 3, isActive: false }),
    ];
    directory.setUsers(42, kommoUsers);

    await expect(sut.execute({ accountId: 42 })).resolves.toEqual({ users: 2 });

    expect(directory.calls).toEqual([42]);
    await expect(users.findForAccount(42)).resolves.toEqual(kommoUsers);
    expect(users.syncedAt.get(42)).toEqual(clock.now());
  });

  it('leaves other accounts alone', async () => {
    directory.setUsers(42, []);

    await expect(sut.execute({ accountId: 42 })).resolves.toEqual({ users: 0 });

    await expect(users.findForAccount(42)).resolves.toEqual([]);
    await expect(users.findForAccount(7)).resolves.toHaveLength(1);
  });

  it('keeps the stored users when Kommo cannot be reached', async () => {
    directory.failWith(new KommoUnavailableError('HTTP 503'));

    await expect(sut.execute({ accountId: 42 })).rejects.toBeInstanceOf(KommoUnavailableError);
    await expect(users.findForAccount(42)).resolves.toHaveLength(2);
  });
});
