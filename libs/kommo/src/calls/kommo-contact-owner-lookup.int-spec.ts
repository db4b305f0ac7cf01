import { e164 } from '@app/domain';
import { RunningSandbox, startKommoSandbox } from '../../../../apps/kommo-sandbox/src/sandbox.bootstrap';
import { DEMO_ACCOUNT, demoSeed } from '../../../../apps/kommo-sandbox/src/seed/demo.seed';
import { KommoContactOwnerLookup } from './kommo-contact-owner-lookup.adapter';
import { KommoRawApiClient } from './kommo-raw-api.client';
import { KommoSandboxHarness, SANDBOX_INTEGRATION } from './testing/kommo-sandbox.harness';

const D = DEMO_ACCOUNT;

describe('KommoContactOwnerLookup (Kommo sandbox over HTTP)', () => {
  let sandbox: RunningSandbox;
  let kommo: KommoSandboxHarness;
  let sut: KommoContactOwnerLookup;

  beforeAll(async () => {
    sandbox = await startKommoSandbox({ port: 0, mode: 'test', seed: 'demo', logger: false, integration: SANDBOX_INTEGRATION });
    kommo = new KommoSandboxHarness(sandbox.url);
    sut = new KommoContactOwnerLookup(kommo.http, kommo.tokens);
  });
  afterAll(() => sandbox.close());

  describe('demo seed', () => {
    beforeEach(() => kommo.reset([D]));

    it("returns the matching contact's responsible user, whatever format the number is stored in", async () => {
      expect(await sut.findResponsibleUserId(D.id, e164(D.phones.oneActiveLead))).toBe(D.users.manager); // "+1 (415) 555-0100"
      expect(await sut.findResponsibleUserId(D.id, e164(D.phones.severalActiveLeads))).toBe(D.users.manager2); // "8 (916) 123-45-67"
      expect(await sut.findResponsibleUserId(D.id, e164(D.phones.company))).toBe(D.users.admin); // company only
      expect(await sut.findResponsibleUserId(D.id, e164(D.phones.unknown))).toBeNull(); // 204
    });

    it("rejects Kommo's digit-suffix false positives", async () => {
      // "+1 617 555 0100" shares its last 7 digits with John's "+1 (415) 555-0100": Kommo's query returns John.
      expect(await sut.findResponsibleUserId(D.id, e164('+16175550100'))).toBeNull();

      const raw = new KommoRawApiClient(kommo.http, kommo.tokens);
      const created = await raw.send(D.id, {
        method: 'POST',
        path: '/api/v4/contacts',
        body: [{ name: 'Boston Lead', responsible_user_id: D.users.manager2, custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '617-555-0100', enum_code: 'MOB' }] }] }],
      });
      expect(created.status).toBe(200);
      // John is older, but his number is not this one.
      expect(await sut.findResponsibleUserId(D.id, e164('+16175550100'))).toBe(D.users.manager2);
      expect(await sut.findResponsibleUserId(D.id, e164(D.phones.oneActiveLead))).toBe(D.users.manager);
    });
  });

  it("falls back to the contact's company when the contact has no responsible user", async () => {
    const [demo, ...others] = demoSeed().accounts;
    const seed = {
      accounts: [
        {
          ...demo,
          companies: [...(demo.companies ?? []), { id: 320009, name: 'Initech', phones: ['+1 512 555 0177'], responsibleUserId: D.users.manager2 }],
          contacts: [...(demo.contacts ?? []), { id: 310009, name: 'Peter Gibbons', phones: ['(512) 555-0188'], responsibleUserId: 0, companyId: 320009 }],
        },
        ...others,
      ],
    };
    await kommo.reset([D], seed);

    expect(await sut.findResponsibleUserId(D.id, e164('+15125550188'))).toBe(D.users.manager2);
    expect(await sut.findResponsibleUserId(D.id, e164('+15125550177'))).toBe(D.users.manager2);
  });
});
