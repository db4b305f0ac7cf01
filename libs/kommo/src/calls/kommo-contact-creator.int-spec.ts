import { e164 } from '@app/domain';
import { RunningSandbox, startKommoSandbox } from '../../../../apps/kommo-sandbox/src/sandbox.bootstrap';
import { DEMO_ACCOUNT } from '../../../../apps/kommo-sandbox/src/seed/demo.seed';
import { KommoContactCreator } from './kommo-contact-creator.adapter';
import { KommoContactOwnerLookup } from './kommo-contact-owner-lookup.adapter';
import { KommoSandboxHarness, SANDBOX_INTEGRATION } from './testing/kommo-sandbox.harness';

const D = DEMO_ACCOUNT;

describe('KommoContactCreator (Kommo sandbox over HTTP)', () => {
  let sandbox: RunningSandbox;
  let kommo: KommoSandboxHarness;
  let sut: KommoContactCreator;

  beforeAll(async () => {
    sandbox = await startKommoSandbox({ port: 0, mode: 'test', seed: 'demo', logger: false, integration: SANDBOX_INTEGRATION });
    kommo = new KommoSandboxHarness(sandbox.url);
    sut = new KommoContactCreator(kommo.http, kommo.tokens);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => kommo.reset([D]));

  it('finds the contact a number already has (stored in another format) instead of creating one', async () => {
    await expect(sut.findOrCreateForNumber(D.id, e164(D.phones.severalActiveLeads), null)).resolves.toEqual({ contactId: D.contacts.severalActiveLeads, created: false });
  });

  it('creates one contact for an unknown number, with the responsible user, and finds it afterwards', async () => {
    const phone = e164(D.phones.unknown);
    const first = await sut.findOrCreateForNumber(D.id, phone, D.users.manager2);
    expect(first.created).toBe(true);
    await expect(sut.findOrCreateForNumber(D.id, phone, D.users.manager2)).resolves.toEqual({ contactId: first.contactId, created: false });
    await expect(new KommoContactOwnerLookup(kommo.http, kommo.tokens).findResponsibleUserId(D.id, phone)).resolves.toBe(D.users.manager2);
  });

  it('does not take a digit-suffix look-alike for the number', async () => {
    // Shares its last 7 digits with "+1 (415) 555-0100": Kommo's query finds that contact, we must not.
    const result = await sut.findOrCreateForNumber(D.id, e164('+16175550100'), null);
    expect(result.created).toBe(true);
    expect(result.contactId).not.toBe(D.contacts.oneActiveLead);
  });
});
