import { signGenericPbxPayload } from '@app/voip';
import { DEMO_ACCOUNT } from '../../apps/kommo-sandbox/src/seed/demo.seed';
import { eventually } from '../utils/free-port';
import { freshInstall } from '../utils/kommo-install';
import { connectVoip } from '../utils/voip';
import { DEMO, startTestStack, TestStack } from '../utils/test-stack';

interface Note {
  responsibleUserId: number;
  createdBy: number;
  noteType: string;
  params: Record<string, unknown>;
}

/** A generic PBX reports a bare extension; the manager is mapped by SIP URI: the call is still theirs in Kommo. */
describe('Extension map: any spelling of a manager identity gets the call credit', () => {
  let stack: TestStack;
  let eventsUrl: string;
  let secret: string;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    const { connection, generatedSecrets } = await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'generic_pbx' });
    eventsUrl = connection.webhookUrls.eventsUrl;
    secret = generatedSecrets.signingSecret;
    await stack.drain(); // users synced (the extension map needs them)
    const admin = await stack.sandbox.jwt(DEMO.accountId, DEMO.admin);
    const saved = await fetch(`${stack.apiUrl}/widget/extensions`, {
      method: 'PUT',
      headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        extensions: [
          { extension: 'sip:1001@pbx.example.com', userId: DEMO_ACCOUNT.users.manager2 },
          { extension: 'sip:2001@a.example.com', userId: DEMO.manager },
          { extension: 'sip:2001@b.example.com', userId: DEMO_ACCOUNT.users.manager2 },
        ],
      }),
    });
    expect(saved.status).toBe(200);
  });

  const callEnded = async (callId: string, from: string, extension: string) => {
    const raw = JSON.stringify({
      event_id: `${callId}-end`,
      call_id: callId,
      type: 'call.ended',
      occurred_at: '2026-11-24T11:00:42Z',
      direction: 'inbound',
      from,
      to: '100',
      extension,
      outcome: 'answered',
      duration_sec: 37,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pbx-timestamp': String(timestamp), 'x-pbx-signature': signGenericPbxPayload(secret, timestamp, raw) },
      body: raw,
    });
    expect(response.status).toBe(202);
  };
  const callNoteOn = (contactId: number) =>
    eventually(async () => {
      const { notes } = await stack.sandbox.call<{ notes: Note[] }>('GET', `/accounts/${DEMO.accountId}/notes?entityType=contacts&entityId=${contactId}`);
      const found = notes.filter((note) => note.noteType === 'call_in');
      return found.length > 0 ? found : null;
    }, 15_000);

  it('credits the manager mapped as sip:1001@pbx.example.com for a PBX call on extension 1001', async () => {
    await callEnded('1700000000.51', DEMO_ACCOUNT.phones.severalActiveLeads, '1001');

    const notes = await callNoteOn(DEMO_ACCOUNT.contacts.severalActiveLeads);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ responsibleUserId: DEMO_ACCOUNT.users.manager2, createdBy: DEMO_ACCOUNT.users.manager2 });
    expect(notes[0].params).toMatchObject({ duration: 37, source: 'generic_pbx' });
  }, 60_000);

  it('credits nobody by user part when two managers share it (sip:2001@a / sip:2001@b, PBX reports 2001)', async () => {
    await callEnded('1700000000.52', DEMO_ACCOUNT.phones.companyEmployee, '2001');

    const notes = await callNoteOn(DEMO_ACCOUNT.contacts.companyEmployee);
    expect(notes).toHaveLength(1);
    const sharing = [DEMO.manager, DEMO_ACCOUNT.users.manager2];
    expect(sharing).not.toContain(notes[0].responsibleUserId);
    expect(sharing).not.toContain(notes[0].createdBy);
    expect(notes[0].responsibleUserId).toBe(DEMO.admin); // no responsible_user_id sent: Kommo credits the integration's user
  }, 60_000);
});
