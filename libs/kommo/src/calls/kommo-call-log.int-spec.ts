import { CallDirection, e164, KommoCallLogResult, KommoCallStatus } from '@app/domain';
import { RunningSandbox, startKommoSandbox } from '../../../../apps/kommo-sandbox/src/sandbox.bootstrap';
import { DEMO_ACCOUNT } from '../../../../apps/kommo-sandbox/src/seed/demo.seed';
import { KommoCallLogAdapter } from './kommo-call-log.adapter';
import { KommoRawApiClient, readPages } from './kommo-raw-api.client';
import { callRecord, KommoSandboxHarness, SANDBOX_INTEGRATION } from './testing/kommo-sandbox.harness';

interface SandboxNote {
  id: number;
  entityType: string;
  entityId: number;
  noteType: string;
  params: Record<string, unknown>;
  createdBy: number;
  createdAt: number;
  responsibleUserId: number;
}

const D = DEMO_ACCOUNT;

describe('KommoCallLogAdapter (Kommo sandbox over HTTP)', () => {
  let sandbox: RunningSandbox;
  let kommo: KommoSandboxHarness;
  let sut: KommoCallLogAdapter;

  beforeAll(async () => {
    sandbox = await startKommoSandbox({ port: 0, mode: 'test', seed: 'demo', logger: false, integration: SANDBOX_INTEGRATION });
    kommo = new KommoSandboxHarness(sandbox.url);
    sut = new KommoCallLogAdapter(kommo.http, kommo.tokens);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => kommo.reset([D]));

  const notesOf = async (type: 'leads' | 'contacts' | 'companies', id: number) =>
    (await kommo.control<{ notes: SandboxNote[] }>('GET', `/accounts/${D.id}/notes?entityType=${type}&entityId=${id}`)).notes;
  const callsPosted = async () => (await kommo.control<{ counts: Record<string, number> }>('GET', `/accounts/${D.id}/requests`)).counts['POST /api/v4/calls'] ?? 0;

  it('logs a known number with one active lead on that lead, with every field mapped', async () => {
    const record = callRecord(D.phones.oneActiveLead, {
      responsibleUserId: D.users.manager,
      fields: { callStatus: KommoCallStatus.ConversationTookPlace, durationSeconds: 95, hasRecording: true, callResult: 'Wants a quote' },
    });

    const [result] = await sut.logCalls(D.id, [record]);

    expect(result.kind).toBe('logged');
    const note = (result as Extract<KommoCallLogResult, { kind: 'logged' }>).note;
    expect(note.entity).toEqual({ type: 'lead', id: D.leads.oneActive });
    const [stored] = await notesOf('leads', D.leads.oneActive);
    expect(stored.id).toBe(note.noteId);
    expect(stored.noteType).toBe('call_in');
    expect(stored.params).toEqual({
      uniq: record.uniq,
      duration: 95,
      source: 'twilio',
      link: record.recordingLink,
      phone: D.phones.oneActiveLead,
      call_status: 4,
      call_result: 'Wants a quote',
      call_responsible: D.users.manager,
    });
    expect(stored.createdBy).toBe(D.users.manager); // the manager, not the robot, gets the credit
    expect(stored.responsibleUserId).toBe(D.users.manager);
    expect(stored.createdAt).toBe(Math.floor(record.startedAt.getTime() / 1000));
  });

  it('an outbound call becomes call_out; no responsible user → Kommo defaults (robot author)', async () => {
    const record = callRecord(D.phones.noLead, { direction: CallDirection.Outbound, recordingLink: null });

    const [result] = await sut.logCalls(D.id, [record]);

    expect(result).toEqual({ kind: 'logged', note: { entity: { type: 'contact', id: D.contacts.noLead }, noteId: expect.any(Number) } });
    const [stored] = await notesOf('contacts', D.contacts.noLead);
    expect(stored.noteType).toBe('call_out');
    expect(stored.createdBy).toBe(0);
    expect(stored.params.call_responsible).toBeUndefined();
  });

  it('an unknown number is entity_not_found and nothing is stored', async () => {
    const results = await sut.logCalls(D.id, [callRecord(D.phones.unknown)]);

    expect(results).toEqual([{ kind: 'entity_not_found' }]);
    expect((await kommo.control<{ calls: unknown[] }>('GET', `/accounts/${D.id}/calls`)).calls).toHaveLength(0);
  });

  it('a mixed batch of 50 goes out as ONE request and maps every result back in order', async () => {
    const phones = [D.phones.oneActiveLead, D.phones.unknown, D.phones.severalActiveLeads, D.phones.company, D.phones.shared, D.phones.onlyClosedLeads];
    const expected = [
      { type: 'lead', id: D.leads.oneActive },
      null,
      { type: 'contact', id: D.contacts.severalActiveLeads },
      { type: 'company', id: D.companies.withPhone },
      { type: 'contact', id: D.contacts.sharedOlder },
      { type: 'contact', id: D.contacts.onlyClosedLeads },
    ];
    const records = Array.from({ length: 50 }, (_, index) => callRecord(phones[index % phones.length]));
    // One item Kommo would refuse (and with it the whole request): kept out of the batch, reported as rejected.
    records[17] = callRecord(D.phones.oneActiveLead, { fields: { ...records[17].fields, callStatus: 9 as KommoCallStatus } });

    const results = await sut.logCalls(D.id, records);

    expect(results).toHaveLength(50);
    expect(await callsPosted()).toBe(1);
    results.forEach((result, index) => {
      if (index === 17) {
        expect(result).toEqual({ kind: 'rejected', detail: expect.stringContaining('call_status') });
        return;
      }
      const target = expected[index % phones.length];
      if (target === null) expect(result).toEqual({ kind: 'entity_not_found' });
      else expect(result).toEqual({ kind: 'logged', note: { entity: target, noteId: expect.any(Number) } });
    });
    const logged = results.filter((result) => result.kind === 'logged');
    expect(new Set(logged.map((result) => result.note.noteId)).size).toBe(logged.length);
    const stored = (await kommo.control<{ calls: { noteId: number; uniq: string }[] }>('GET', `/accounts/${D.id}/calls`)).calls;
    expect(stored).toHaveLength(logged.length);
    // Each note id carries the uniq of the record at that position (no shifted mapping).
    results.forEach((result, index) => {
      if (result.kind === 'logged') expect(stored.find((call) => call.noteId === result.note.noteId)?.uniq).toBe(records[index].uniq);
    });
  });

  it('sends nothing when every record is invalid', async () => {
    const results = await sut.logCalls(D.id, [callRecord(D.phones.noLead, { source: '  ' })]);

    expect(results).toEqual([{ kind: 'rejected', detail: expect.stringContaining('source') }]);
    expect(await callsPosted()).toBe(0);
  });

  it('findCallNoteByUniq finds logged calls on a lead, a contact and a company, and null for an unknown uniq', async () => {
    const onLead = callRecord(D.phones.oneActiveLead);
    const onContact = callRecord(D.phones.severalActiveLeads, { direction: CallDirection.Outbound });
    const onCompany = callRecord(D.phones.company);
    const results = await sut.logCalls(D.id, [onLead, onContact, onCompany]);
    const notes = results.map((result) => (result.kind === 'logged' ? result.note : null));

    const query = (record: typeof onLead) => ({ uniq: record.uniq, phone: record.phone, direction: record.direction });
    expect(await sut.findCallNoteByUniq(D.id, query(onLead))).toEqual(notes[0]);
    expect(await sut.findCallNoteByUniq(D.id, query(onContact))).toEqual(notes[1]);
    expect(await sut.findCallNoteByUniq(D.id, query(onCompany))).toEqual(notes[2]);
    expect(await sut.findCallNoteByUniq(D.id, { ...query(onLead), entity: { type: 'lead', id: D.leads.oneActive } })).toEqual(notes[0]);

    expect(await sut.findCallNoteByUniq(D.id, { ...query(onLead), uniq: 'never-sent' })).toBeNull();
    expect(await sut.findCallNoteByUniq(D.id, { ...query(onLead), direction: CallDirection.Outbound })).toBeNull(); // call_in only
    expect(await sut.findCallNoteByUniq(D.id, { ...query(onLead), entity: { type: 'contact', id: D.contacts.noLead } })).toBeNull();
    expect(await sut.findCallNoteByUniq(D.id, { uniq: 'x', phone: e164(D.phones.unknown), direction: CallDirection.Inbound })).toBeNull(); // 204s
  });

  it('findCallNoteByUniq follows pagination (more than 250 call notes on the entity)', async () => {
    const filler = Array.from({ length: 50 }, () => callRecord(D.phones.oneActiveLead));
    for (let round = 0; round < 6; round++) await sut.logCalls(D.id, filler.map((record) => ({ ...record, uniq: `${record.uniq}-${round}` })));
    const last = callRecord(D.phones.oneActiveLead);
    const [result] = await sut.logCalls(D.id, [last]);

    const found = await sut.findCallNoteByUniq(D.id, { uniq: last.uniq, phone: last.phone, direction: last.direction });

    expect(found).toEqual(result.kind === 'logged' ? result.note : 'not logged');
    // The same list read with a page budget says when it stopped short.
    const path = `/api/v4/leads/${D.leads.oneActive}/notes?filter[note_type][]=call_in`;
    const api = new KommoRawApiClient(kommo.http, kommo.tokens);
    expect(await readPages(api, D.id, path, 'notes', { maxPages: 1 })).toMatchObject({ complete: false, items: { length: 250 } });
    expect(await readPages(api, D.id, path, 'notes', { maxPages: 2 })).toMatchObject({ complete: true, items: { length: 301 } });
  });

  it('findCallNotesByUniqs reads back a batch in one list per entity type, limited to the notes written since a time', async () => {
    const records = [callRecord(D.phones.oneActiveLead), callRecord(D.phones.severalActiveLeads, { direction: CallDirection.Outbound }), callRecord(D.phones.company)];
    const before = new Date(Date.now() - 60_000);
    const results = await sut.logCalls(D.id, records);
    const notes = results.map((result) => (result.kind === 'logged' ? result.note : null));
    const readsBefore = (await kommo.control<{ counts: Record<string, number> }>('GET', `/accounts/${D.id}/requests`)).counts;

    const readBack = await sut.findCallNotesByUniqs(D.id, { uniqs: [...records.map((record) => record.uniq), 'never-sent'], writtenSince: before });

    expect(readBack.complete).toBe(true);
    expect(Object.fromEntries(readBack.found)).toEqual({ [records[0].uniq]: notes[0], [records[1].uniq]: notes[1], [records[2].uniq]: notes[2] });
    const readsAfter = (await kommo.control<{ counts: Record<string, number> }>('GET', `/accounts/${D.id}/requests`)).counts;
    const listReads = ['leads', 'contacts', 'companies'].map((type) => (readsAfter[`GET /api/v4/${type}/notes`] ?? 0) - (readsBefore[`GET /api/v4/${type}/notes`] ?? 0));
    expect(listReads).toEqual([1, 1, 1]);
    // Notes written before the window are not read: nothing found, and that answer is complete.
    const later = await sut.findCallNotesByUniqs(D.id, { uniqs: records.map((record) => record.uniq), writtenSince: new Date(Date.now() + 3_600_000) });
    expect(later).toEqual({ found: new Map(), complete: true });
  });

  it('addCallNote puts a call note on a given entity; updateCallNote changes link, duration, status and result', async () => {
    const record = callRecord(D.phones.noLead, { recordingLink: null, fields: { callStatus: KommoCallStatus.DidNotGetThrough, durationSeconds: 0, hasRecording: false, callResult: null } });
    const note = await sut.addCallNote(D.id, { type: 'lead', id: D.leads.severalA }, record);
    expect(note.entity).toEqual({ type: 'lead', id: D.leads.severalA });
    expect(await sut.findCallNoteByUniq(D.id, { uniq: record.uniq, phone: record.phone, direction: record.direction, entity: note.entity })).toEqual(note);

    const later = {
      ...record,
      recordingLink: 'https://voip.example.test/recordings/late.mp3?sig=def',
      fields: { callStatus: KommoCallStatus.ConversationTookPlace, durationSeconds: 61, hasRecording: true, callResult: 'Call back on Monday' },
    };
    await sut.updateCallNote(D.id, note, later);
    await sut.updateCallNote(D.id, note, later); // idempotent

    const [stored] = await notesOf('leads', D.leads.severalA);
    expect(stored.id).toBe(note.noteId);
    expect(stored.params).toMatchObject({
      uniq: record.uniq,
      link: later.recordingLink,
      duration: 61,
      call_status: 4,
      call_result: 'Call back on Monday',
      phone: D.phones.noLead,
      source: 'twilio',
    });
    expect(await notesOf('leads', D.leads.severalA)).toHaveLength(1);
  });
});
