import { ACME_ACCOUNT, DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall, installAccount } from '../utils/kommo-install';
import { ACME, DEMO, startTestStack, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';

const TWILIO_DEMO = { accountSid: `AC${'c3'.repeat(16)}`, authToken: 'abcdef0123456789abcdef0123456789' };
const TWILIO_ACME = { accountSid: `AC${'d4'.repeat(16)}`, authToken: '9876543210fedcba9876543210fedcba' };

interface Note {
  entityType: string;
  entityId: number;
  noteType: string;
  params: Record<string, unknown>;
}

/**
 * Numbers without a `+country` prefix are read in the country the account's Kommo reports (stored at install), not in
 * one global PHONE_DEFAULT_COUNTRY. The fallback is set to a third country (DE) so that neither account's local
 * number can match its contact through it.
 */
describe('Account phone country: local numbers are read in the Kommo account’s country', () => {
  let stack: TestStack;
  let sequence = 0;

  beforeAll(async () => {
    stack = await startTestStack({ env: { PHONE_DEFAULT_COUNTRY: 'DE' } });
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId, ACME.accountId]);
  });

  const storedCountries = async () =>
    (await stack.dataSource.query<{ id: string; country: string | null }[]>(`SELECT id, country FROM kommo_account ORDER BY id`)).map((row) => ({
      id: Number(row.id),
      country: row.country,
    }));
  const callNotes = async (accountId: number, entityType: string, entityId: number) =>
    (await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${accountId}/notes?entityType=${entityType}&entityId=${entityId}`)).notes.filter((note) =>
      note.noteType.startsWith('call_'),
    );
  const answeredInboundCall = async (statusCallbackUrl: string, twilio: typeof TWILIO_DEMO, from: string, to: string, duration: number) => {
    const callSid = `CA${(++sequence).toString(16).padStart(32, '0')}`;
    const base = { AccountSid: twilio.accountSid, ApiVersion: '2010-04-01', CallSid: callSid, From: from, To: to, Direction: 'inbound', CallbackSource: 'call-progress-events' };
    const at = (seconds: number) => new Date(Date.UTC(2026, 10, 24, 12, sequence, seconds)).toUTCString();
    const callbacks = [
      { ...base, CallStatus: 'ringing', SequenceNumber: '0', Timestamp: at(0) },
      { ...base, CallStatus: 'in-progress', SequenceNumber: '1', Timestamp: at(5) },
      { ...base, CallStatus: 'completed', SequenceNumber: '2', Timestamp: at(5 + duration), CallDuration: String(duration) },
    ];
    for (const params of callbacks) expect((await postTwilioWebhook(statusCallbackUrl, twilio.authToken, params)).status).toBe(204);
  };

  it('stores the country each account’s Kommo reports at install', async () => {
    expect(await storedCountries()).toEqual([
      { id: DEMO.accountId, country: 'US' },
      { id: ACME.accountId, country: 'BR' },
    ]);
  }, 60_000);

  it('re-reads the country on a re-authorisation', async () => {
    await stack.dataSource.query(`UPDATE kommo_account SET country = 'PT' WHERE id = $1`, [ACME.accountId]);

    await installAccount(stack, ACME.accountId);

    expect(await storedCountries()).toContainEqual({ id: ACME.accountId, country: 'BR' });
  }, 60_000);

  it('logs each account’s local-format caller on its own contact: BR for acme, US for demo', async () => {
    const demoUrls = (await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO_DEMO })).connection.webhookUrls;
    const acmeUrls = (await connectVoip(stack, { accountId: ACME.accountId, adminId: ACME.admin, provider: 'twilio', credentials: TWILIO_ACME })).connection.webhookUrls;

    // Ana Souza is stored as "+55 (21) 99876-5432"; her PBX reports "21998765432" (no country, no trunk prefix).
    await answeredInboundCall(acmeUrls.statusCallbackUrl, TWILIO_ACME, '21998765432', '+551130000000', 31);
    // John Smith is stored as "+1 (415) 555-0100"; the demo account's trunk reports "(415) 555-0100".
    await answeredInboundCall(demoUrls.statusCallbackUrl, TWILIO_DEMO, '(415) 555-0100', '+14155550199', 42);

    const [acmeNote] = await eventually(async () => {
      const found = await callNotes(ACME.accountId, 'leads', ACME_ACCOUNT.leads.ana);
      return found.length > 0 ? found : null;
    }, 15_000);
    const [demoNote] = await eventually(async () => {
      const found = await callNotes(DEMO.accountId, 'leads', DEMO_ACCOUNT.leads.oneActive);
      return found.length > 0 ? found : null;
    }, 15_000);
    await stack.drain();

    expect(acmeNote).toMatchObject({ noteType: 'call_in', params: expect.objectContaining({ duration: 31, phone: ACME_ACCOUNT.phones.ana }) });
    expect(demoNote).toMatchObject({ noteType: 'call_in', params: expect.objectContaining({ duration: 42, phone: DEMO_ACCOUNT.phones.oneActiveLead }) });
    // Nothing landed elsewhere: no incoming lead (unsorted) and no new contact for a misread number.
    for (const accountId of [DEMO.accountId, ACME.accountId]) {
      const calls = (await stack.sandbox.call<{ calls: { phone?: string }[] }>('GET', `/accounts/${accountId}/calls`)).calls;
      expect(calls).toHaveLength(1);
    }
  }, 90_000);
});
