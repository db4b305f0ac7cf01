import {
  FakeKommoOAuth,
  FixedClock,
  InMemoryDistributedLock,
  InMemoryKommoAccountRepository,
  settle,
  until,
} from '../../test/fakes';
import { LockNotAcquiredError } from '../shared/distributed-lock.port';
import { KommoAccessTokens, KommoAccessTokensOptions } from './kommo-access-tokens';
import { KommoAccount, KommoAccountStatus } from './kommo-account';
import {
  AccountNeedsReauthError,
  AccountNotConnectedError,
  InvalidGrantError,
  KommoUnavailableError,
} from './kommo-authentication.errors';

const ACCOUNT_ID = 42;
const HOST = 'acme.kommo.com';
const MINUTE = 60_000;
const OPTIONS: KommoAccessTokensOptions = { refreshMarginMs: 5 * MINUTE, lockTtlMs: 30_000, lockWaitMs: 10_000 };

describe('KommoAccessTokens', () => {
  let clock: FixedClock;
  let accounts: InMemoryKommoAccountRepository;
  let oauth: FakeKommoOAuth;
  let lock: InMemoryDistributedLock;
  let sut: KommoAccessTokens;

  /** Another process: its own service (own in-process single flight), same database and Redis lock. */
  const otherProcess = (options: KommoAccessTokensOptions = OPTIONS) =>
    new KommoAccessTokens(accounts, oauth, lock, clock, options);

  /** Stores a connected account whose access token (`access-0`/`refresh-0`) expires in `expiresInMs`. */
  const seedAccount = (expiresInMs: number, id = ACCOUNT_ID, host = HOST): KommoAccount => {
    const account = KommoAccount.connect({
      id,
      subdomain: host.split('.')[0],
      host,
      name: 'Acme',
      grant: { accessToken: `access-0-${id}`, refreshToken: `refresh-0-${id}`, expiresInSeconds: expiresInMs / 1000 },
      now: clock.now(),
    });
    accounts.seed(account);
    return account;
  };

  beforeEach(() => {
    clock = new FixedClock('2026-01-15T10:00:00.000Z');
    accounts = new InMemoryKommoAccountRepository();
    oauth = new FakeKommoOAuth();
    lock = new InMemoryDistributedLock();
    sut = new KommoAccessTokens(accounts, oauth, lock, clock, OPTIONS);
  });

  describe('get', () => {
    it('returns the stored token without refreshing or locking while it is valid beyond the margin', async () => {
      seedAccount(60 * MINUTE);

      const access = await sut.get(ACCOUNT_ID);

      expect(access).toEqual({ accountId: ACCOUNT_ID, host: HOST, accessToken: 'access-0-42' });
      expect(oauth.refreshCalls).toHaveLength(0);
      expect(lock.acquisitions).toHaveLength(0);
    });

    it('keeps the token when it expires one second after the margin', async () => {
      seedAccount(OPTIONS.refreshMarginMs + 1000);

      await expect(sut.get(ACCOUNT_ID)).resolves.toMatchObject({ accessToken: 'access-0-42' });
      expect(oauth.refreshCalls).toHaveLength(0);
    });

    it('refreshes proactively when the token expires exactly at the margin', async () => {
      seedAccount(OPTIONS.refreshMarginMs);

      await expect(sut.get(ACCOUNT_ID)).resolves.toMatchObject({ accessToken: 'access-1' });
      expect(oauth.refreshCalls).toEqual([{ host: HOST, refreshToken: 'refresh-0-42' }]);
    });

    it('refreshes an expired token, stores the new pair with its expiry and bumps the token version', async () => {
      seedAccount(10 * MINUTE);
      clock.advance(20 * MINUTE);

      const access = await sut.get(ACCOUNT_ID);

      expect(access).toEqual({ accountId: ACCOUNT_ID, host: HOST, accessToken: 'access-1' });
      const stored = accounts.stored(ACCOUNT_ID)!;
      expect(stored.tokens).toEqual({
        accessToken: 'access-1',
        refreshToken: 'refresh-1',
        expiresAt: new Date(clock.now().getTime() + oauth.expiresInSeconds * 1000),
      });
      expect(stored.tokenVersion).toBe(2);
      expect(stored.status).toBe(KommoAccountStatus.Connected);
      expect(lock.acquisitions).toEqual([`kommo-token-${ACCOUNT_ID}`]);
    });

    it('uses the refreshed pair afterwards without refreshing again', async () => {
      seedAccount(MINUTE);
      await sut.get(ACCOUNT_ID);

      await expect(sut.get(ACCOUNT_ID)).resolves.toMatchObject({ accessToken: 'access-1' });
      await expect(otherProcess().get(ACCOUNT_ID)).resolves.toMatchObject({ accessToken: 'access-1' });
      expect(oauth.refreshCalls).toHaveLength(1);
    });

    it('makes exactly ONE refresh call for 20 concurrent callers on an expiring token', async () => {
      seedAccount(MINUTE);

      const results = await Promise.all(Array.from({ length: 20 }, () => sut.get(ACCOUNT_ID)));

      expect(oauth.refreshCalls).toHaveLength(1);
      expect(new Set(results.map((access) => access.accessToken))).toEqual(new Set(['access-1']));
      expect(lock.acquisitions).toHaveLength(1);
    });

    it('makes exactly ONE refresh call for 20 concurrent callers spread over two processes', async () => {
      seedAccount(MINUTE);
      const processA = sut;
      const processB = otherProcess();

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? processA : processB).get(ACCOUNT_ID)),
      );

      expect(oauth.refreshCalls).toHaveLength(1);
      expect(new Set(results.map((access) => access.accessToken))).toEqual(new Set(['access-1']));
      expect(lock.maxConcurrentHolders).toBe(1);
      expect(accounts.stored(ACCOUNT_ID)!.tokenVersion).toBe(2);
      expect(accounts.rejectedConditionalWrites).toBe(0);
    });

    it('lets a process waiting for the lock reuse the pair the lock holder stored', async () => {
      seedAccount(MINUTE);
      const processB = otherProcess();
      const release = oauth.hold('refresh');

      const fromA = sut.get(ACCOUNT_ID);
      await until(() => oauth.refreshCalls.length === 1);
      const fromB = processB.get(ACCOUNT_ID);
      await until(() => lock.waiting(`kommo-token-${ACCOUNT_ID}`) === 1);
      release();

      await expect(Promise.all([fromA, fromB])).resolves.toEqual([
        expect.objectContaining({ accessToken: 'access-1' }),
        expect.objectContaining({ accessToken: 'access-1' }),
      ]);
      expect(oauth.refreshCalls).toHaveLength(1);
    });

    it('refreshes accounts independently (one lock key per account)', async () => {
      seedAccount(MINUTE, 1, 'one.kommo.com');
      seedAccount(MINUTE, 2, 'two.kommo.com');

      const [one, two] = await Promise.all([sut.get(1), sut.get(2)]);

      expect(one).toMatchObject({ accountId: 1, host: 'one.kommo.com' });
      expect(two).toMatchObject({ accountId: 2, host: 'two.kommo.com' });
      expect(one.accessToken).not.toBe(two.accessToken);
      expect(oauth.refreshCalls.map((call) => call.host).sort()).toEqual(['one.kommo.com', 'two.kommo.com']);
      expect([...lock.acquisitions].sort()).toEqual(['kommo-token-1', 'kommo-token-2']);
    });

    it('throws AccountNotConnectedError for an unknown account', async () => {
      await expect(sut.get(ACCOUNT_ID)).rejects.toBeInstanceOf(AccountNotConnectedError);
      expect(oauth.refreshCalls).toHaveLength(0);
    });

    it('throws AccountNotConnectedError for a disconnected account without refreshing', async () => {
      const account = seedAccount(MINUTE);
      account.disconnect('uninstalled in Kommo', clock.now());
      await accounts.save(account);

      await expect(sut.get(ACCOUNT_ID)).rejects.toBeInstanceOf(AccountNotConnectedError);
      await expect(sut.renewRejected(ACCOUNT_ID, 'access-0-42')).rejects.toBeInstanceOf(AccountNotConnectedError);
      expect(oauth.refreshCalls).toHaveLength(0);
    });

    it('propagates a transient Kommo failure, keeps the pair and tries again on the next call', async () => {
      seedAccount(MINUTE);
      oauth.failWith('refresh', new KommoUnavailableError('HTTP 503'), { once: true });

      await expect(sut.get(ACCOUNT_ID)).rejects.toBeInstanceOf(KommoUnavailableError);
      const stored = accounts.stored(ACCOUNT_ID)!;
      expect(stored.status).toBe(KommoAccountStatus.Connected);
      expect(stored.tokens?.refreshToken).toBe('refresh-0-42');
      expect(lock.isHeld(`kommo-token-${ACCOUNT_ID}`)).toBe(false);

      await expect(sut.get(ACCOUNT_ID)).resolves.toMatchObject({ accessToken: 'access-1' });
      expect(oauth.refreshCalls).toHaveLength(2);
    });

    it('gives up with a retryable LockNotAcquiredError when a sibling holds the lock too long', async () => {
      seedAccount(MINUTE);
      const impatient = otherProcess({ ...OPTIONS, lockWaitMs: 5 });
      const release = oauth.hold('refresh');
      const holder = sut.get(ACCOUNT_ID);
      await until(() => oauth.refreshCalls.length === 1);

      const error = await impatient.get(ACCOUNT_ID).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(LockNotAcquiredError);
      expect((error as LockNotAcquiredError).retryable).toBe(true);
      release();
      await expect(holder).resolves.toMatchObject({ accessToken: 'access-1' });
      expect(oauth.refreshCalls).toHaveLength(1);
    });
  });

  describe('renewRejected', () => {
    it('refreshes a token Kommo rejected even though it has not expired', async () => {
      seedAccount(60 * MINUTE);

      await expect(sut.renewRejected(ACCOUNT_ID, 'access-0-42')).resolves.toMatchObject({ accessToken: 'access-1' });
      expect(oauth.refreshCalls).toHaveLength(1);
      expect(accounts.stored(ACCOUNT_ID)!.tokens?.accessToken).toBe('access-1');
    });

    it('does not refresh when a sibling already replaced the rejected token', async () => {
      seedAccount(60 * MINUTE);
      const sibling = otherProcess();
      await sibling.renewRejected(ACCOUNT_ID, 'access-0-42');
      expect(oauth.refreshCalls).toHaveLength(1);

      const access = await sut.renewRejected(ACCOUNT_ID, 'access-0-42');

      expect(access.accessToken).toBe('access-1');
      expect(oauth.refreshCalls).toHaveLength(1);
    });

    it('refreshes once when two processes report the same rejected token at the same time', async () => {
      seedAccount(60 * MINUTE);
      const sibling = otherProcess();

      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => sut.renewRejected(ACCOUNT_ID, 'access-0-42')),
        ...Array.from({ length: 5 }, () => sibling.renewRejected(ACCOUNT_ID, 'access-0-42')),
      ]);

      expect(oauth.refreshCalls).toHaveLength(1);
      expect(new Set(results.map((access) => access.accessToken))).toEqual(new Set(['access-1']));
    });

    it('never hands a caller back the token it reported as rejected, even while an older flight is running', async () => {
      seedAccount(60 * MINUTE);
      await otherProcess().renewRejected(ACCOUNT_ID, 'access-0-42'); // stored pair is now access-1
      // A sibling process holds the account's lock, so this process's flights queue behind it.
      let releaseSibling!: () => void;
      const siblingHolds = lock.run('kommo-token-42', { ttlMs: 30_000, waitMs: 1_000 }, () => new Promise<void>((resolve) => (releaseSibling = resolve)));
      await until(() => lock.isHeld('kommo-token-42'));

      const late = sut.renewRejected(ACCOUNT_ID, 'access-0-42'); // a late 401 for the oldest token
      const rejected = sut.renewRejected(ACCOUNT_ID, 'access-1'); // Kommo now also rejects access-1
      releaseSibling();
      await siblingHolds;

      await expect(late).resolves.toMatchObject({ accessToken: 'access-1' });
      await expect(rejected).resolves.toMatchObject({ accessToken: 'access-2' });
      expect(oauth.refreshCalls.map((call) => call.refreshToken)).toEqual(['refresh-0-42', 'refresh-1']);
    });

    it('refreshes again when the replacement token is itself rejected', async () => {
      seedAccount(60 * MINUTE);
      await sut.renewRejected(ACCOUNT_ID, 'access-0-42');

      await expect(sut.renewRejected(ACCOUNT_ID, 'access-1')).resolves.toMatchObject({ accessToken: 'access-2' });
      expect(oauth.refreshCalls.map((call) => call.refreshToken)).toEqual(['refresh-0-42', 'refresh-1']);
    });
  });

  describe('invalid_grant', () => {
    it('marks the account needs_reauth, clears its tokens and throws AccountNeedsReauthError', async () => {
      seedAccount(MINUTE);
      oauth.failWith('refresh', new InvalidGrantError('refresh token revoked'));

      await expect(sut.get(ACCOUNT_ID)).rejects.toBeInstanceOf(AccountNeedsReauthError);

      const stored = accounts.stored(ACCOUNT_ID)!;
      expect(stored.status).toBe(KommoAccountStatus.NeedsReauth);
      expect(stored.tokens).toBeNull();
      expect(stored.statusReason).toContain('refresh token revoked');
      expect(stored.statusChangedAt).toEqual(clock.now());
      expect(stored.tokenVersion).toBe(2);
    });

    it('never calls refresh again afterwards: get() and renewRejected() throw AccountNeedsReauthError', async () => {
      seedAccount(MINUTE);
      oauth.failWith('refresh', new InvalidGrantError('revoked'));
      await expect(sut.get(ACCOUNT_ID)).rejects.toBeInstanceOf(AccountNeedsReauthError);
      oauth.clearFailure('refresh');
      clock.advance(60 * MINUTE);

      await expect(sut.get(ACCOUNT_ID)).rejects.toBeInstanceOf(AccountNeedsReauthError);
      await expect(otherProcess().get(ACCOUNT_ID)).rejects.toBeInstanceOf(AccountNeedsReauthError);
      await expect(sut.renewRejected(ACCOUNT_ID, 'access-0-42')).rejects.toBeInstanceOf(AccountNeedsReauthError);
      expect(oauth.refreshCalls).toHaveLength(1);
    });

    it('fails every concurrent caller after a single refresh attempt', async () => {
      seedAccount(MINUTE);
      oauth.failWith('refresh', new InvalidGrantError('revoked'));
      const sibling = otherProcess();

      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? sut : sibling).get(ACCOUNT_ID)),
      );

      expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
      for (const outcome of outcomes) {
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(AccountNeedsReauthError);
      }
      expect(oauth.refreshCalls).toHaveLength(1);
    });

    it('uses the pair a sibling stored meanwhile instead of giving up (lock expired under us)', async () => {
      seedAccount(MINUTE);
      const release = oauth.hold('refresh');
      const pending = sut.get(ACCOUNT_ID);
      await until(() => oauth.refreshCalls.length === 1);
      // A sibling whose lock expired rotates the pair while our refresh is in flight...
      const sibling = (await accounts.findById(ACCOUNT_ID))!;
      const version = sibling.tokenVersion;
      sibling.storeGrant({ accessToken: 'sibling-access', refreshToken: 'sibling-refresh', expiresInSeconds: 3600 }, clock.now());
      expect(await accounts.saveIfTokenVersion(sibling, version)).toBe(true);
      // ...so Kommo refuses our (now used) refresh token.
      oauth.failWith('refresh', new InvalidGrantError('already used'));
      release();

      await expect(pending).resolves.toMatchObject({ accessToken: 'sibling-access' });
      const stored = accounts.stored(ACCOUNT_ID)!;
      expect(stored.status).toBe(KommoAccountStatus.Connected);
      expect(stored.tokens?.accessToken).toBe('sibling-access');
    });
  });

  describe('optimistic concurrency', () => {
    it('returns the winner’s pair when another writer stored tokens while we refreshed', async () => {
      seedAccount(MINUTE);
      const release = oauth.hold('refresh');
      const pending = sut.get(ACCOUNT_ID);
      await until(() => oauth.refreshCalls.length === 1);
      const winner = (await accounts.findById(ACCOUNT_ID))!;
      const version = winner.tokenVersion;
      winner.storeGrant({ accessToken: 'winner-access', refreshToken: 'winner-refresh', expiresInSeconds: 3600 }, clock.now());
      await accounts.saveIfTokenVersion(winner, version);
      release();

      await expect(pending).resolves.toMatchObject({ accessToken: 'winner-access' });
      expect(accounts.rejectedConditionalWrites).toBe(1);
      expect(accounts.stored(ACCOUNT_ID)!.tokens?.refreshToken).toBe('winner-refresh');
    });

    it('does not overwrite a reconnect that happened during the refresh', async () => {
      seedAccount(MINUTE);
      const release = oauth.hold('refresh');
      const pending = sut.get(ACCOUNT_ID);
      await until(() => oauth.refreshCalls.length === 1);
      const reconnected = (await accounts.findById(ACCOUNT_ID))!;
      reconnected.reconnect({
        subdomain: 'acme',
        host: HOST,
        name: 'Acme',
        grant: { accessToken: 'reconnect-access', refreshToken: 'reconnect-refresh', expiresInSeconds: 3600 },
        now: clock.now(),
      });
      await accounts.save(reconnected);
      release();
      await settle();

      await expect(pending).resolves.toMatchObject({ accessToken: 'reconnect-access' });
      expect(accounts.stored(ACCOUNT_ID)!.tokens?.accessToken).toBe('reconnect-access');
    });
  });
});
