import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const TWILIO = { accountSid: `AC${'e5'.repeat(16)}`, authToken: '00112233445566778899aabbccddeeff' };
const MANAGER2 = DEMO_ACCOUNT.users.manager2;

interface ExtensionsView {
  extensions: { extension: string; userId: number }[];
  drift: {
    inactiveUsers: { userId: number; name: string | null; extension: string }[];
    duplicateExtensions: { extension: string; userIds: number[] }[];
    unmappedSeen: { extension: string; lastSeenAt: string; calls: number }[];
  };
}

/** The extension map: Kommo's `users` settings-field shape, identities validated and normalised, the drift check. */
describe('Extensions: users field, validation, drift', () => {
  let stack: TestStack;
  let admin: string;
  let statusUrl: string;
  let sequence = 0;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    statusUrl = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO })).connection.webhookUrls.statusCallbackUrl;
    await stack.drain(); // users synced
    admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
  });

  const put = (body: unknown) =>
    fetch(`${stack.apiUrl}/widget/extensions`, { method: 'PUT', headers: { 'x-auth-token': admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const view = async () => (await (await fetch(`${stack.apiUrl}/widget/extensions`, { headers: { 'x-auth-token': admin } })).json()) as ExtensionsView;
  const refusal = async (body: unknown) => {
    const response = await put(body);
    expect(response.status).toBe(400);
    return JSON.stringify(await response.json());
  };

  it('accepts Kommo\'s users field and stores every identity normalised (empty input = not mapped)', async () => {
    const saved = await put({
      users: { [DEMO.manager]: 'client:manager_1002', [MANAGER2]: '(415) 555-0111', [DEMO.admin]: 'SIP:Admin@PBX.Example.com', [DEMO_ACCOUNT.users.inactive]: '' },
    });
    expect(saved.status).toBe(200);
    const body = (await saved.json()) as ExtensionsView;
    expect(body.extensions.map(({ extension, userId }) => [extension, userId])).toEqual([
      ['+14155550111', MANAGER2],
      ['manager_1002', DEMO.manager],
      ['sip:Admin@pbx.example.com', DEMO.admin],
    ]);
    expect(body.drift).toEqual({ inactiveUsers: [], duplicateExtensions: [], unmappedSeen: [] });
    // The table shape still works, and PBX extensions are 2–8 digits.
    expect((await put({ extensions: [{ extension: '101', userId: DEMO.manager }] })).status).toBe(200);
    expect((await view()).extensions.map((entry) => entry.extension)).toEqual(['101']);
  }, 60_000);

  it('refuses bad identities with a 400 naming the entry, and saves nothing', async () => {
    expect(await refusal({ users: { [DEMO.manager]: 'manager-1002' } })).toContain(`users.${DEMO.manager}: \\"manager-1002\\"`);
    expect(await refusal({ extensions: [{ extension: 'alice', userId: DEMO.manager }, { extension: 'sip:nohost', userId: MANAGER2 }] })).toContain('extensions[1]');
    expect(await refusal({ extensions: [{ extension: '+1 555', userId: DEMO.manager }] })).toContain('phone number');
    expect(await refusal({ users: { abc: 'alice' } })).toContain('users.abc');
    expect(await refusal({ users: { [DEMO.manager]: 42 } })).toContain(`users.${DEMO.manager}`);
    expect(await refusal({ extensions: [{ extension: 'client:ann', userId: DEMO.manager }, { extension: 'ann', userId: MANAGER2 }] })).toContain('same identity as extensions[0]');
    expect(await refusal({ extensions: [{ extension: '4155550111', userId: DEMO.manager }, { extension: '+1 415 555 0111', userId: MANAGER2 }] })).toContain('same identity');
    expect(await refusal({ users: { [DEMO_ACCOUNT.users.inactive]: 'ghost' } })).toContain('inactive');
    expect(await refusal({})).toContain('either');
    expect(await refusal({ extensions: [], users: {} })).toContain('either');
    expect((await view()).extensions).toEqual([]);
  }, 60_000);

  it('drift: inactive mapped users, one identity under two spellings, identities seen in calls but mapped to nobody', async () => {
    expect((await put({ users: { [DEMO.manager]: 'manager_1002', [DEMO.admin]: 'sip:admin@pbx.example.com' } })).status).toBe(200);
    // Rows written before identities were normalised, and a manager deactivated in Kommo after being mapped.
    const now = new Date();
    await stack.dataSource.query(
      `INSERT INTO voip_extension (account_id, extension_key, extension, match_key, match_user, user_id, connection_id, updated_at) VALUES
       ($1, 'client:manager_1002', 'client:manager_1002', 'client:manager_1002', NULL, $2, NULL, $4), ($1, '105', '105', '105', '105', $3, NULL, $4)`,
      [DEMO.accountId, MANAGER2, DEMO_ACCOUNT.users.inactive, now],
    );
    // Calls: a client leg nobody is mapped to (twice), a mapped client leg, a SIP leg of a mapped URI.
    const leg = async (to: string) => {
      const parent = `CA${(++sequence).toString(16).padStart(32, '0')}`;
      const child = `CA${(++sequence).toString(16).padStart(32, '0')}`;
      const base = { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', CallSid: child, ParentCallSid: parent, Direction: 'outbound-dial', From: DEMO_ACCOUNT.phones.noLead, To: to };
      expect((await postTwilioWebhook(statusUrl, TWILIO.authToken, { ...base, CallStatus: 'ringing', SequenceNumber: '0' })).status).toBe(204);
    };
    for (const to of ['client:ghost_agent', 'client:ghost_agent', 'client:manager_1002', 'sip:admin@pbx.example.com']) await leg(to);
    await stack.drain();

    const drift = await eventually(async () => {
      const current = (await view()).drift;
      return current.unmappedSeen.length > 0 ? current : null;
    }, 10_000);
    expect(drift.inactiveUsers).toEqual([{ userId: DEMO_ACCOUNT.users.inactive, name: expect.any(String), extension: '105' }]);
    expect(drift.duplicateExtensions).toEqual([{ extension: 'manager_1002', userIds: [DEMO.manager, MANAGER2] }]);
    expect(drift.unmappedSeen).toEqual([{ extension: 'ghost_agent', lastSeenAt: expect.any(String), calls: 2 }]);
    expect(Date.now() - Date.parse(drift.unmappedSeen[0].lastSeenAt)).toBeLessThan(60_000);
  }, 60_000);
});
