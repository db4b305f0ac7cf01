import { FakeKommoOAuth, FixedClock, InMemoryDistributedLock, InMemoryKommoAccountRepository } from '../../../../test/fakes';
import { KommoAccessTokens } from '../../kommo-access-tokens';
import { KommoAccount, KommoAccountStatus } from '../../kommo-account';
import { AccountBlockedError } from '../../kommo-authentication.errors';
import { ReportKommoBlockUseCase } from './report-kommo-block.use-case';

describe('ReportKommoBlockUseCase', () => {
  let clock: FixedClock;
  let accounts: InMemoryKommoAccountRepository;
  let oauth: FakeKommoOAuth;
  let sut: ReportKommoBlockUseCase;

  const seed = (id: number): void =>
    accounts.seed(
      KommoAccount.connect({
        id,
        subdomain: `a${id}`,
        host: `a${id}.kommo.com`,
        name: 'A',
        grant: { accessToken: `access-${id}`, refreshToken: `refresh-${id}`, expiresInSeconds: 3600 },
        now: clock.now(),
      }),
    );

  beforeEach(() => {
    clock = new FixedClock();
    accounts = new InMemoryKommoAccountRepository();
    oauth = new FakeKommoOAuth();
    sut = new ReportKommoBlockUseCase(accounts, clock);
  });

  it('marks only that account blocked, keeps its tokens, and tells why', async () => {
    seed(1);
    seed(2);
    expect(await sut.execute({ accountId: 1, reason: 'Kommo answered 403 to GET /api/v4/account' })).toEqual({ blocked: true });

    const blocked = accounts.stored(1)!;
    expect(blocked.status).toBe(KommoAccountStatus.Blocked);
    expect(blocked.statusReason).toBe('Kommo answered 403 to GET /api/v4/account');
    expect(blocked.tokens?.accessToken).toBe('access-1');
    expect(accounts.stored(2)!.status).toBe(KommoAccountStatus.Connected);
  });

  it('makes the token service refuse a blocked account without calling Kommo, other accounts unaffected', async () => {
    seed(1);
    seed(2);
    await sut.execute({ accountId: 1, reason: '403' });
    const tokens = new KommoAccessTokens(accounts, oauth, new InMemoryDistributedLock(), clock, { refreshMarginMs: 0, lockTtlMs: 1000, lockWaitMs: 1000 });

    await expect(tokens.get(1)).rejects.toBeInstanceOf(AccountBlockedError);
    await expect(tokens.renewRejected(1, 'access-1')).rejects.toBeInstanceOf(AccountBlockedError);
    await expect(tokens.get(2)).resolves.toMatchObject({ accessToken: 'access-2' });
    expect(oauth.calls).toBe(0);
  });

  it('is idempotent, and leaves accounts that are not connected alone', async () => {
    seed(1);
    await sut.execute({ accountId: 1, reason: 'first' });
    expect(await sut.execute({ accountId: 1, reason: 'second' })).toEqual({ blocked: true });
    expect(accounts.stored(1)!.statusReason).toBe('first');

    const needsReauth = KommoAccount.connect({
      id: 3,
      subdomain: 'a3',
      host: 'a3.kommo.com',
      name: 'A',
      grant: { accessToken: 'access-3', refreshToken: 'refresh-3', expiresInSeconds: 3600 },
      now: clock.now(),
    });
    needsReauth.markNeedsReauth('refresh refused', clock.now());
    accounts.seed(needsReauth);
    expect(await sut.execute({ accountId: 3, reason: '403' })).toEqual({ blocked: false });
    expect(accounts.stored(3)!.status).toBe(KommoAccountStatus.NeedsReauth);
    expect(await sut.execute({ accountId: 99, reason: '403' })).toEqual({ blocked: false });
  });
});
