import { CreateIncomingLeadResult, e164 } from '@app/domain';
import { RunningSandbox, startKommoSandbox } from '../../../../apps/kommo-sandbox/src/sandbox.bootstrap';
import { DEMO_ACCOUNT } from '../../../../apps/kommo-sandbox/src/seed/demo.seed';
import { KommoCallLogAdapter } from './kommo-call-log.adapter';
import { KommoIncomingLeadsAdapter } from './kommo-incoming-leads.adapter';
import { KommoRawApiClient } from './kommo-raw-api.client';
import { callRecord, KommoSandboxHarness, SANDBOX_INTEGRATION } from './testing/kommo-sandbox.harness';

const D = DEMO_ACCOUNT;

interface SandboxUnsorted {
  uid: string;
  sourceUid: string;
  sourceName: string;
  pipelineId: number;
  metadata: Record<string, unknown>;
  leadId: number;
  contactId: number | null;
  state: string;
}

describe('KommoIncomingLeadsAdapter (Kommo sandbox over HTTP)', () => {
  let sandbox: RunningSandbox;
  let kommo: KommoSandboxHarness;
  let sut: KommoIncomingLeadsAdapter;

  beforeAll(async () => {
    sandbox = await startKommoSandbox({ port: 0, mode: 'test', seed: 'demo', logger: false, integration: SANDBOX_INTEGRATION });
    kommo = new KommoSandboxHarness(sandbox.url);
    sut = new KommoIncomingLeadsAdapter(kommo.http, kommo.tokens, { sourceUid: 'voip-int-spec', pipelineIdOf: async () => D.pipelines.support });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => kommo.reset([D]));

  const unsorted = async () => (await kommo.control<{ unsorted: SandboxUnsorted[] }>('GET', `/accounts/${D.id}/unsorted`)).unsorted;
  const created = (result: CreateIncomingLeadResult) => {
    if (result.kind !== 'created') throw new Error(`expected created, got ${result.kind}`);
    return result;
  };

  it('creates a sip incoming lead with the call in metadata, a contact with the number, and a call note', async () => {
    const record = callRecord(D.phones.unknown, { responsibleUserId: D.users.manager });

    const result = created(await sut.createSip(D.id, record));

    const [item] = await unsorted();
    expect(item).toMatchObject({ uid: result.unsortedUid, leadId: result.leadId, sourceUid: 'voip-int-spec', sourceName: 'twilio', pipelineId: D.pipelines.support, state: 'pending' });
    expect(item.metadata).toEqual({
      uniq: record.uniq,
      from: D.phones.unknown,
      phone: D.phones.unknown,
      duration: 42,
      service_code: 'twilio',
      is_call_event_needed: true,
      called_at: Math.floor(record.startedAt.getTime() / 1000),
      link: record.recordingLink,
      call_responsible: D.users.manager,
    });
    const calls = new KommoCallLogAdapter(kommo.http, kommo.tokens);
    // The call event Kommo adds on the lead carries our uniq: the PendingLeadNote reconciliation can find it.
    expect(await calls.findCallNoteByUniq(D.id, { uniq: record.uniq, phone: record.phone, direction: record.direction, entity: { type: 'lead', id: result.leadId } })).toEqual({
      entity: { type: 'lead', id: result.leadId },
      noteId: expect.any(Number),
    });
  });

  it('a duplicate is refused by Kommo → {kind: duplicate}, nothing stored', async () => {
    const record = callRecord(D.phones.unknown);
    created(await sut.createSip(D.id, record));

    expect(await sut.createSip(D.id, record)).toEqual({ kind: 'duplicate' });
    expect(await unsorted()).toHaveLength(1);
  });

  it('findPendingForNumber: the oldest pending sip lead of the number, by E.164 digits, with its uniq', async () => {
    expect(await sut.findPendingForNumber(D.id, e164(D.phones.unknown))).toBeNull(); // 204

    const first = callRecord(D.phones.unknown, { startedAt: new Date('2026-01-15T09:00:00Z') });
    const firstLead = created(await sut.createSip(D.id, first));
    created(await sut.createSip(D.id, callRecord('+13105559998'))); // another number (last digit differs)
    created(await sut.createSip(D.id, callRecord(D.phones.unknown, { startedAt: new Date('2026-01-15T11:00:00Z') })));

    expect(await sut.findPendingForNumber(D.id, e164(D.phones.unknown))).toEqual({ unsortedUid: firstLead.unsortedUid, leadId: firstLead.leadId, uniq: first.uniq });
    expect(await sut.findPendingForNumber(D.id, e164('+3105559999'))).toBeNull(); // a digit suffix is not the number
  });

  it('once accepted, the lead is no longer pending and Kommo /calls finds the number on its contact', async () => {
    const record = callRecord(D.phones.unknown);
    const lead = created(await sut.createSip(D.id, record));
    const raw = new KommoRawApiClient(kommo.http, kommo.tokens);
    const accepted = await raw.send(D.id, { method: 'POST', path: `/api/v4/leads/unsorted/${lead.unsortedUid}/accept`, body: { status_id: D.statuses.supportOpen } });
    expect(accepted.status).toBe(200);

    expect(await sut.findPendingForNumber(D.id, record.phone)).toBeNull();
    const [next] = await new KommoCallLogAdapter(kommo.http, kommo.tokens).logCalls(D.id, [callRecord(D.phones.unknown)]);
    expect(next).toEqual({ kind: 'logged', note: { entity: { type: 'lead', id: lead.leadId }, noteId: expect.any(Number) } });
  });
});
