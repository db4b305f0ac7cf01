import { SecretCipher } from '@app/persistence';
import { randomBytes } from 'node:crypto';
import { eventually } from '../utils/free-port';
import { followToCallback, installAccount, startInstall } from '../utils/kommo-install';
import { ACME, DEMO, startTestStack, TestStack } from '../utils/test-stack';

interface AccountRow {
  id: string;
  status: string;
  host: string;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  token_expires_at: Date | null;
}

describe('Kommo installation (OAuth 2.0 against the Kommo sandbox)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await stack.resetState();
    await stack.sandbox.reset('demo');
    await stack.sandbox.clearFaults();
  });

  const accountRow = async (id: number) =>
    (await stack.dataSource.query<AccountRow[]>('SELECT * FROM kommo_account WHERE id = $1', [id]))[0];
  const accountCount = async () => Number((await stack.dataSource.query('SELECT count(*) AS n FROM kommo_account'))[0].n);
  const tokenRequests = async (accountId: number) => (await stack.sandbox.oauthHistory(accountId)).tokenRequests.length;

  it('redirects install start to Kommo with our client id and a one-time state', async () => {
    const { state, location } = await startInstall(stack);
    expect(location.origin).toBe(stack.sandbox.url);
    expect(location.pathname).toBe('/oauth');
    expect(location.searchParams.get('client_id')).toBe(stack.config.kommo.clientId);
    expect(location.searchParams.get('mode')).toBe('post_message');
    expect(state).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const second = await startInstall(stack);
    expect(second.state).not.toBe(state);
  });

  it('button flow: stores encrypted tokens bound to the Kommo account and syncs its users through the worker', async () => {
    await installAccount(stack, DEMO.accountId);

    const row = await accountRow(DEMO.accountId);
    expect(row.status).toBe('connected');
    expect(row.host).toBe(DEMO.host);
    // Unreadable without the key: AES-GCM envelopes, no JWT text in the database.
    for (const value of [row.access_token_enc!, row.refresh_token_enc!]) {
      expect(value).toMatch(/^v1\.t1\./);
      expect(value).not.toContain('eyJ');
    }
    const cipher = new SecretCipher(SecretCipher.parseKeys(stack.config.encryptionKeys).keys);
    const accessToken = cipher.decrypt(row.access_token_enc!, `kommo_account:${DEMO.accountId}:access_token`);
    expect(accessToken.split('.')).toHaveLength(3); // the sandbox's JWT access token
    const otherKey = new SecretCipher([{ id: 't1', key: randomBytes(32) }]);
    expect(() => otherKey.decrypt(row.access_token_enc!, `kommo_account:${DEMO.accountId}:access_token`)).toThrow();
    // Moved to another account's row, a ciphertext does not decrypt (AAD binds it to its place).
    expect(() => cipher.decrypt(row.access_token_enc!, `kommo_account:${ACME.accountId}:access_token`)).toThrow();

    const users = await eventually(async () => {
      const rows = await stack.dataSource.query<{ user_id: string; is_admin: boolean; is_active: boolean }[]>(
        'SELECT * FROM kommo_user WHERE account_id = $1 ORDER BY user_id',
        [DEMO.accountId],
      );
      return rows.length >= 3 ? rows : null;
    });
    expect(users.find((user) => Number(user.user_id) === DEMO.admin)?.is_admin).toBe(true);
    expect(users.find((user) => Number(user.user_id) === DEMO.manager)?.is_admin).toBe(false);
    expect(users.find((user) => Number(user.user_id) === DEMO.inactive)?.is_active).toBe(false);
  });

  it('widget-install flow (code, referer, from_widget; no state) connects the account', async () => {
    const result = await stack.sandbox.widgetInstall(ACME.accountId);
    expect(result.status).toBe(200);
    const row = await accountRow(ACME.accountId);
    expect(row.status).toBe('connected');
    expect(row.host).toBe(ACME.host);
  });

  describe('bad input changes nothing', () => {
    it('refuses a callback without state in the button flow', async () => {
      const location = new URL(await stack.sandbox.authorize({ accountId: DEMO.accountId }));
      location.searchParams.delete('state');
      const result = await followToCallback(location.toString());
      expect(result.status).toBe(400);
      expect(result.body).toContain('state');
      expect(await accountCount()).toBe(0);
      expect(await tokenRequests(DEMO.accountId)).toBe(0);
    });

    it('refuses an unknown state', async () => {
      const location = await stack.sandbox.authorize({ accountId: DEMO.accountId, state: 'A'.repeat(43) });
      expect((await followToCallback(location)).status).toBe(400);
      expect(await accountCount()).toBe(0);
      expect(await tokenRequests(DEMO.accountId)).toBe(0);
    });

    it('refuses a reused state', async () => {
      const { state } = await startInstall(stack);
      expect((await followToCallback(await stack.sandbox.authorize({ accountId: DEMO.accountId, state }))).status).toBe(200);
      const replay = await followToCallback(await stack.sandbox.authorize({ accountId: ACME.accountId, state }));
      expect(replay.status).toBe(400);
      expect(await accountRow(ACME.accountId)).toBeUndefined();
    });

    it('refuses a foreign referer before our client secret is sent anywhere', async () => {
      const { state } = await startInstall(stack);
      const location = new URL(await stack.sandbox.authorize({ accountId: DEMO.accountId, state }));
      for (const referer of ['evil.example.com', 'demo.kommo.com.evil.com', 'https://demo.kommo.com', '127.0.0.1:8080']) {
        location.searchParams.set('referer', referer);
        const result = await followToCallback(location.toString());
        expect(result.status).toBe(400);
        expect(result.body).toContain('not a Kommo account domain');
      }
      expect(await tokenRequests(DEMO.accountId)).toBe(0);
      expect(await accountCount()).toBe(0);
    });

    it('answers Kommo access_denied with a clear page', async () => {
      const response = await fetch(`${stack.apiUrl}/kommo/oauth/callback?error=access_denied&client_id=${stack.config.kommo.clientId}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('not granted');
    });

    it.each([
      [400, 400],
      [500, 502],
    ])('creates no account when the Kommo token endpoint answers %i', async (kommoStatus, ourStatus) => {
      await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'POST /oauth2/access_token', kind: 'status', status: kommoStatus, count: 1 });
      const { state } = await startInstall(stack);
      const result = await followToCallback(await stack.sandbox.authorize({ accountId: DEMO.accountId, state }));
      expect(result.status).toBe(ourStatus);
      expect(await accountCount()).toBe(0);
      expect(Number((await stack.dataSource.query('SELECT count(*) AS n FROM kommo_user'))[0].n)).toBe(0);
    });

    it('creates no account when the account lookup fails after the exchange', async () => {
      await stack.sandbox.fault({ accountId: DEMO.accountId, endpoint: 'GET /api/v4/account', kind: 'status', status: 500, count: 1 });
      const { state } = await startInstall(stack);
      const result = await followToCallback(await stack.sandbox.authorize({ accountId: DEMO.accountId, state }));
      expect(result.status).toBe(502);
      expect(await accountCount()).toBe(0);
    });
  });

  describe('uninstall hook', () => {
    it('wipes the tokens and the VoIP credentials when the signature is good', async () => {
      await installAccount(stack, DEMO.accountId);
      const result = await stack.sandbox.uninstall(DEMO.accountId);
      expect(result.status).toBe(200);
      const row = await accountRow(DEMO.accountId);
      expect(row.status).toBe('disconnected');
      expect(row.access_token_enc).toBeNull();
      expect(row.refresh_token_enc).toBeNull();
      expect(row.token_expires_at).toBeNull();
    });

    it('refuses a bad signature with 403 and keeps the tokens', async () => {
      await installAccount(stack, DEMO.accountId);
      const result = await stack.sandbox.uninstall(DEMO.accountId, 'ab'.repeat(32));
      expect(result.status).toBe(403);
      const row = await accountRow(DEMO.accountId);
      expect(row.status).toBe('connected');
      expect(row.access_token_enc).not.toBeNull();
    });

    it('refuses a missing signature and a foreign client_uuid', async () => {
      await installAccount(stack, DEMO.accountId);
      const missing = await fetch(`${stack.apiUrl}/kommo/uninstall?client_uuid=${stack.config.kommo.clientId}&account_id=${DEMO.accountId}`);
      expect(missing.status).toBe(403);
      const foreign = await fetch(
        `${stack.apiUrl}/kommo/uninstall?client_uuid=00000000-0000-4000-8000-000000000000&account_id=${DEMO.accountId}&signature=${'0'.repeat(64)}`,
      );
      expect(foreign.status).toBe(403);
      expect((await accountRow(DEMO.accountId)).status).toBe('connected');
    });
  });
});
