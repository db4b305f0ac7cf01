import { KommoAccount } from '../../src';
import { FixedClock } from './fixed-clock';
import { InMemoryKommoAccountRepository } from './in-memory-kommo-account.repository';

/** The fake must behave like the SQL repository, or the token-service specs prove nothing. */
describe('InMemoryKommoAccountRepository', () => {
  const clock = new FixedClock();
  let sut: InMemoryKommoAccountRepository;

  const account = () =>
    KommoAccount.connect({
      id: 1,
      subdomain: 'acme',
      host: 'acme.kommo.com',
      name: 'Acme',
      grant: { accessToken: 'a', refreshToken: 'r', expiresInSeconds: 60 },
      now: clock.now(),
    });

  beforeEach(() => {
    sut = new InMemoryKommoAccountRepository();
  });

  it('stores snapshots: changing the saved object afterwards changes nothing stored', async () => {
    const live = account();
    await sut.save(live);
    live.markNeedsReauth('x', clock.now());

    expect((await sut.findById(1))!.tokens?.accessToken).toBe('a');
  });

  it('hands out independent copies', async () => {
    await sut.save(account());
    const first = (await sut.findById(1))!;
    first.storeGrant({ accessToken: 'b', refreshToken: 'b', expiresInSeconds: 60 }, clock.now());

    expect((await sut.findById(1))!.tokenVersion).toBe(1);
  });

  it('writes conditionally only when the stored token version is the expected one', async () => {
    await sut.save(account());
    const a = (await sut.findById(1))!;
    const b = (await sut.findById(1))!;
    a.storeGrant({ accessToken: 'from-a', refreshToken: 'ra', expiresInSeconds: 60 }, clock.now());
    b.storeGrant({ accessToken: 'from-b', refreshToken: 'rb', expiresInSeconds: 60 }, clock.now());

    await expect(sut.saveIfTokenVersion(a, 1)).resolves.toBe(true);
    await expect(sut.saveIfTokenVersion(b, 1)).resolves.toBe(false);
    expect((await sut.findById(1))!.tokens?.accessToken).toBe('from-a');
  });

  it('never inserts through a conditional write', async () => {
    await expect(sut.saveIfTokenVersion(account(), 0)).resolves.toBe(false);
    await expect(sut.findById(1)).resolves.toBeNull();
  });
});
