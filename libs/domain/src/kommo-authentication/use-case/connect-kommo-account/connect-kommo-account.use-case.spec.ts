import {
  FakeKommoAccountHostPolicy,
  FakeKommoOAuth,
  FakeTaskQueue,
  FixedClock,
  InMemoryKommoAccountRepository,
  InMemoryOAuthStateStore,
  InMemoryParkedTaskRepository,
} from '../../../../test/fakes';
import { syncKommoUsersTask, Task, TaskName } from '../../../task/task';
import { KommoAccount, KommoAccountStatus } from '../../kommo-account';
import {
  AuthorizationCodeRejectedError,
  ForeignRefererError,
  InstallStateInvalidError,
  KommoUnavailableError,
} from '../../kommo-authentication.errors';
import { ConnectKommoAccountCommand } from './connect-kommo-account.command';
import { ConnectKommoAccountUseCase } from './connect-kommo-account.use-case';

const HOST = 'acme.kommo.com';
const STATE = 'state-0123456789abcdef';
const TEN_MINUTES = 10 * 60_000;

describe('ConnectKommoAccountUseCase', () => {
  let clock: FixedClock;
  let hostPolicy: FakeKommoAccountHostPolicy;
  let states: InMemoryOAuthStateStore;
  let oauth: FakeKommoOAuth;
  let accounts: InMemoryKommoAccountRepository;
  let parkedTasks: InMemoryParkedTaskRepository;
  let tasks: FakeTaskQueue;
  let sut: ConnectKommoAccountUseCase;

  const buttonFlow = (overrides: Partial<ConnectKommoAccountCommand> = {}): ConnectKommoAccountCommand => ({
    code: 'auth-code',
    referer: HOST,
    state: STATE,
    fromWidget: false,
    ...overrides,
  });
  const widgetFlow = (overrides: Partial<ConnectKommoAccountCommand> = {}): ConnectKommoAccountCommand => ({
    code: 'auth-code',
    referer: HOST,
    state: null,
    fromWidget: true,
    ...overrides,
  });
  const parkedTask = (accountId: number, dedupeKey: string): Task => ({ ...syncKommoUsersTask(accountId, 'x'), dedupeKey });

  const expectNothingStoredOrQueued = async () => {
    expect(await accounts.findAll()).toEqual([]);
    expect(accounts.writes).toEqual([]);
    expect(tasks.enqueued).toEqual([]);
  };

  beforeEach(async () => {
    clock = new FixedClock('2026-01-15T10:00:00.000Z');
    hostPolicy = new FakeKommoAccountHostPolicy([HOST, 'acme.amocrm.ru']);
    states = new InMemoryOAuthStateStore(clock);
    oauth = new FakeKommoOAuth();
    oauth.setAccount(HOST, { id: 42, subdomain: 'acme', name: 'Acme Inc', country: 'BR' });
    accounts = new InMemoryKommoAccountRepository();
    parkedTasks = new InMemoryParkedTaskRepository();
    tasks = new FakeTaskQueue();
    sut = new ConnectKommoAccountUseCase(hostPolicy, states, oauth, accounts, parkedTasks, tasks, clock);
    await states.issue(STATE, TEN_MINUTES);
  });

  describe('button flow', () => {
    it('exchanges the code at the referer host, stores the account and queues the users sync', async () => {
      const result = await sut.execute(buttonFlow());

      expect(result).toEqual({ accountId: 42, subdomain: 'acme', reconnected: false, resumedTasks: 0 });
      expect(oauth.exchangeCalls).toEqual([{ host: HOST, code: 'auth-code' }]);
      expect(oauth.fetchAccountCalls).toEqual([{ host: HOST, accessToken: 'access-1' }]);
      const stored = accounts.stored(42)!;
      expect(stored).toMatchObject({
        id: 42,
        subdomain: 'acme',
        host: HOST,
        name: 'Acme Inc',
        country: 'BR',
        status: KommoAccountStatus.Connected,
        connectedAt: clock.now(),
      });
      expect(stored.tokens).toEqual({
        accessToken: 'access-1',
        refreshToken: 'refresh-1',
        expiresAt: new Date(clock.now().getTime() + oauth.expiresInSeconds * 1000),
      });
      expect(tasks.enqueued).toEqual([
        { name: TaskName.SyncKommoUsers, payload: { accountId: 42 }, dedupeKey: `42-connect-${clock.now().getTime()}`, accountId: 42 },
      ]);
    });

    it('burns the state: the same state cannot be used twice', async () => {
      await sut.execute(buttonFlow());
      const oauthCalls = oauth.calls;

      await expect(sut.execute(buttonFlow({ code: 'another-code' }))).rejects.toBeInstanceOf(InstallStateInvalidError);
      expect(oauth.calls).toBe(oauthCalls);
      expect(tasks.enqueued).toHaveLength(1);
    });

    it('refuses a missing state before calling Kommo', async () => {
      await expect(sut.execute(buttonFlow({ state: null }))).rejects.toBeInstanceOf(InstallStateInvalidError);
      expect(oauth.calls).toBe(0);
      await expectNothingStoredOrQueued();
    });

    it('refuses a state we never issued before calling Kommo', async () => {
      await expect(sut.execute(buttonFlow({ state: 'forged-state-000000' }))).rejects.toBeInstanceOf(InstallStateInvalidError);
      expect(oauth.calls).toBe(0);
      await expectNothingStoredOrQueued();
    });

    it('refuses an expired state', async () => {
      clock.advance(TEN_MINUTES);

      await expect(sut.execute(buttonFlow())).rejects.toBeInstanceOf(InstallStateInvalidError);
      expect(oauth.calls).toBe(0);
    });

    it('accepts a state until just before it expires', async () => {
      clock.advance(TEN_MINUTES - 1);

      await expect(sut.execute(buttonFlow())).resolves.toMatchObject({ accountId: 42 });
    });
  });

  describe('widget flow', () => {
    it('needs no state', async () => {
      await expect(sut.execute(widgetFlow())).resolves.toEqual({
        accountId: 42,
        subdomain: 'acme',
        reconnected: false,
        resumedTasks: 0,
      });
      expect(states.consumed).toEqual([]);
      expect(states.isLive(STATE)).toBe(true);
      expect(tasks.enqueued.map((task) => task.name)).toEqual([TaskName.SyncKommoUsers]);
    });
  });

  describe('referer', () => {
    it.each(['evil.com', 'acme.kommo.com.evil.com', ''])(
      'refuses "%s" before any OAuth call and before touching the state',
      async (referer) => {
        await expect(sut.execute(buttonFlow({ referer }))).rejects.toBeInstanceOf(ForeignRefererError);
        await expect(sut.execute(widgetFlow({ referer }))).rejects.toBeInstanceOf(ForeignRefererError);

        expect(oauth.calls).toBe(0);
        expect(states.consumed).toEqual([]);
        expect(states.isLive(STATE)).toBe(true);
        await expectNothingStoredOrQueued();
      },
    );

    it('sends the code to the host the policy returned', async () => {
      oauth.setAccount('acme.amocrm.ru', { id: 43, subdomain: 'acme', name: 'Acme RU', country: null });

      await sut.execute(widgetFlow({ referer: 'acme.amocrm.ru' }));

      expect(hostPolicy.checked).toEqual(['acme.amocrm.ru']);
      expect(oauth.exchangeCalls).toEqual([{ host: 'acme.amocrm.ru', code: 'auth-code' }]);
      expect(accounts.stored(43)?.host).toBe('acme.amocrm.ru');
    });
  });

  describe('failures', () => {
    it('stores and queues nothing when Kommo rejects the code', async () => {
      oauth.failWith('exchange', new AuthorizationCodeRejectedError('code expired'));

      await expect(sut.execute(buttonFlow())).rejects.toBeInstanceOf(AuthorizationCodeRejectedError);
      expect(oauth.fetchAccountCalls).toEqual([]);
      await expectNothingStoredOrQueued();
    });

    it('stores and queues nothing when the account lookup fails', async () => {
      oauth.failWith('fetchAccount', new KommoUnavailableError('HTTP 503'));

      await expect(sut.execute(widgetFlow())).rejects.toBeInstanceOf(KommoUnavailableError);
      await expectNothingStoredOrQueued();
    });

    it('leaves parked work parked when the exchange fails for a known account', async () => {
      const existing = KommoAccount.connect({
        id: 42,
        subdomain: 'acme',
        host: HOST,
        name: 'Acme Inc',
        grant: { accessToken: 'old', refreshToken: 'old', expiresInSeconds: 60 },
        now: clock.now(),
      });
      existing.markNeedsReauth('invalid_grant', clock.now());
      accounts.seed(existing);
      await parkedTasks.park(parkedTask(42, 'p1'), 'needs_reauth', clock.now());
      oauth.failWith('exchange', new AuthorizationCodeRejectedError('bad code'));

      await expect(sut.execute(widgetFlow())).rejects.toBeInstanceOf(AuthorizationCodeRejectedError);
      expect(accounts.stored(42)?.status).toBe(KommoAccountStatus.NeedsReauth);
      expect(await parkedTasks.countForAccount(42)).toBe(1);
      expect(tasks.enqueued).toEqual([]);
    });
  });

  describe('reconnect', () => {
    beforeEach(async () => {
      const existing = KommoAccount.connect({
        id: 42,
        subdomain: 'old-acme',
        host: 'old-acme.kommo.com',
        name: 'Old name',
        country: 'US',
        grant: { accessToken: 'old-access', refreshToken: 'old-refresh', expiresInSeconds: 60 },
        now: clock.now(),
      });
      existing.markNeedsReauth('invalid_grant', clock.now());
      accounts.seed(existing);
      await parkedTasks.park(parkedTask(42, '42-first'), 'needs_reauth', clock.now());
      await parkedTasks.park(parkedTask(42, '42-second'), 'needs_reauth', clock.now());
      await parkedTasks.park(parkedTask(99, '99-other'), 'needs_reauth', clock.now());
      clock.advance(60_000);
    });

    it('reconnects the account with the new grant and Kommo’s names', async () => {
      const result = await sut.execute(buttonFlow());

      expect(result).toEqual({ accountId: 42, subdomain: 'acme', reconnected: true, resumedTasks: 2 });
      const stored = accounts.stored(42)!;
      expect(stored).toMatchObject({
        status: KommoAccountStatus.Connected,
        statusReason: null,
        subdomain: 'acme',
        host: HOST,
        name: 'Acme Inc',
        country: 'BR',
        connectedAt: clock.now(),
        tokenVersion: 3,
      });
      expect(stored.tokens?.accessToken).toBe('access-1');
    });

    it('keeps the stored country when Kommo now answers none it recognises', async () => {
      oauth.setAccount(HOST, { id: 42, subdomain: 'acme', name: 'Acme Inc', country: null });

      await sut.execute(buttonFlow());

      expect(accounts.stored(42)?.country).toBe('US');
    });

    it('re-enqueues parked work with new dedupe keys after the users sync and removes it from the park', async () => {
      await sut.execute(buttonFlow());
      const at = clock.now().getTime();

      expect(tasks.enqueued).toEqual([
        syncKommoUsersTask(42, `connect-${at}`),
        { ...parkedTask(42, '42-first'), dedupeKey: `42-first-resumed-${at}` },
        { ...parkedTask(42, '42-second'), dedupeKey: `42-second-resumed-${at}` },
      ]);
      expect(await parkedTasks.countForAccount(42)).toBe(0);
    });

    it('leaves the parked work of other accounts alone', async () => {
      await sut.execute(buttonFlow());

      expect(await parkedTasks.listForAccount(99)).toEqual([parkedTask(99, '99-other')]);
      expect(tasks.enqueued.some((task) => task.accountId === 99)).toBe(false);
    });
  });
});
