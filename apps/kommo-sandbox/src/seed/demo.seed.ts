import { SeedDefinition } from './seed.types';

/** Well-known ids of the demo seed (documented in apps/kommo-sandbox/README.md). */
export const DEMO_ACCOUNT = {
  id: 31000001,
  subdomain: 'demo',
  host: 'demo.kommo.com',
  users: { admin: 1001, manager: 1002, manager2: 1003, inactive: 1004 },
  pipelines: { sales: 5001001, support: 5001002 },
  statuses: {
    salesIncoming: 50011000,
    salesNew: 50011001,
    salesQualified: 50011002,
    salesProposal: 50011003,
    supportIncoming: 50012000,
    supportOpen: 50012001,
    won: 142,
    lost: 143,
  },
  contacts: {
    /** Exactly one active lead (plus one won lead): calls land on `leads.oneActive`. */
    oneActiveLead: 310001,
    /** Two active leads: calls land on the contact. */
    severalActiveLeads: 310002,
    /** No leads at all: calls land on the contact. */
    noLead: 310003,
    /** Only closed leads (142 and 143): calls land on the contact. */
    onlyClosedLeads: 310004,
    /** Two contacts sharing one number (different formats); the older one (`sharedOlder`) wins. */
    sharedOlder: 310005,
    sharedNewer: 310006,
    /** Works for the company below. */
    companyEmployee: 310007,
  },
  companies: {
    /** A company with its own phone and no leads: calls land on the company. */
    withPhone: 320001,
  },
  leads: {
    oneActive: 410001,
    oneActiveWon: 410002,
    severalA: 410003,
    severalB: 410004,
    closedWon: 410005,
    closedLost: 410006,
  },
  /** Numbers as a PBX would send them (E.164), with the stored (mixed) formats in comments. */
  phones: {
    oneActiveLead: '+14155550100', // stored "+1 (415) 555-0100"
    severalActiveLeads: '+79161234567', // stored "8 (916) 123-45-67"
    noLead: '+5511912345678', // stored "+55 11 91234-5678"
    onlyClosedLeads: '+442079460958', // stored "0044 20 7946 0958"
    shared: '+16505550123', // stored "+1 650-555-0123" and "(650) 555 0123"
    company: '+12125550199', // stored "+1 212 555 0199"
    companyEmployee: '+12125550142', // stored "212.555.0142"
    unknown: '+13105559999', // matches nothing
  },
} as const;

export const ACME_ACCOUNT = {
  id: 31000002,
  subdomain: 'acme',
  host: 'acme.kommo.com',
  users: { admin: 2001, manager: 2002 },
  pipelines: { vendas: 5002001 },
  statuses: { incoming: 50021000, novo: 50021001, negociacao: 50021002, won: 142, lost: 143 },
  contacts: {
    /** One active lead. */
    ana: 330001,
    /** Has the same number as demo's `oneActiveLead` contact: tenant isolation. */
    sameNumberAsDemo: 330002,
  },
  leads: { ana: 420001 },
  phones: { ana: '+5521998765432', sameNumberAsDemo: '+14155550100' },
} as const;

const T0 = 1767225600; // 2026-01-01T00:00:00Z
const day = 86400;

export function demoSeed(): SeedDefinition {
  const d = DEMO_ACCOUNT;
  const a = ACME_ACCOUNT;
  return {
    accounts: [
      {
        id: d.id,
        subdomain: d.subdomain,
        name: 'Demo Telecom',
        country: 'US',
        currency: 'USD',
        users: [
          { id: d.users.admin, name: 'Alice Admin', email: 'alice@demo.example', isAdmin: true, phoneExtension: '101' },
          { id: d.users.manager, name: 'Bob Manager', email: 'bob@demo.example', phoneExtension: '102' },
          { id: d.users.manager2, name: 'Carla Manager', email: 'carla@demo.example', phoneExtension: '103' },
          { id: d.users.inactive, name: 'Dan Former', email: 'dan@demo.example', isActive: false },
        ],
        pipelines: [
          {
            id: d.pipelines.sales,
            name: 'Sales',
            isMain: true,
            unsortedStatusId: d.statuses.salesIncoming,
            statuses: [
              { id: d.statuses.salesNew, name: 'New lead', color: '#99ccff' },
              { id: d.statuses.salesQualified, name: 'Qualified', color: '#ffcc66' },
              { id: d.statuses.salesProposal, name: 'Proposal', color: '#ff9966' },
            ],
          },
          {
            id: d.pipelines.support,
            name: 'Support',
            unsortedStatusId: d.statuses.supportIncoming,
            statuses: [{ id: d.statuses.supportOpen, name: 'Open ticket', color: '#ccff99' }],
          },
        ],
        companies: [
          { id: d.companies.withPhone, name: 'Globex Corporation', phones: ['+1 212 555 0199'], createdAt: T0 + 1 * day },
        ],
        contacts: [
          { id: d.contacts.oneActiveLead, name: 'John Smith', phones: ['+1 (415) 555-0100'], emails: ['john@smith.example'], createdAt: T0 + 2 * day, responsibleUserId: d.users.manager },
          { id: d.contacts.severalActiveLeads, name: 'Maria Ivanova', phones: [{ value: '8 (916) 123-45-67', enumCode: 'MOB' }], createdAt: T0 + 3 * day, responsibleUserId: d.users.manager2 },
          { id: d.contacts.noLead, name: 'Pedro Alves', phones: [{ value: '+55 11 91234-5678', enumCode: 'MOB' }], createdAt: T0 + 4 * day },
          { id: d.contacts.onlyClosedLeads, name: 'Emma Clarke', phones: ['0044 20 7946 0958'], createdAt: T0 + 5 * day },
          { id: d.contacts.sharedOlder, name: 'Liu Wei', phones: ['+1 650-555-0123'], createdAt: T0 + 6 * day },
          { id: d.contacts.sharedNewer, name: 'Liu Yang', phones: [{ value: '(650) 555 0123', enumCode: 'HOME' }], createdAt: T0 + 7 * day },
          { id: d.contacts.companyEmployee, name: 'Hank Scorpio', phones: [{ value: '212.555.0142', enumCode: 'WORKDD' }], companyId: d.companies.withPhone, createdAt: T0 + 8 * day },
        ],
        leads: [
          { id: d.leads.oneActive, name: 'Solar panels for John', price: 12000, statusId: d.statuses.salesQualified, contactIds: [d.contacts.oneActiveLead], responsibleUserId: d.users.manager },
          { id: d.leads.oneActiveWon, name: 'Battery (2025)', price: 3000, statusId: 142, contactIds: [d.contacts.oneActiveLead] },
          { id: d.leads.severalA, name: 'Maria — fibre upgrade', price: 600, statusId: d.statuses.salesNew, contactIds: [d.contacts.severalActiveLeads] },
          { id: d.leads.severalB, name: 'Maria — router broken', pipelineId: d.pipelines.support, statusId: d.statuses.supportOpen, contactIds: [d.contacts.severalActiveLeads] },
          { id: d.leads.closedWon, name: 'Emma — annual plan', price: 2400, statusId: 142, contactIds: [d.contacts.onlyClosedLeads] },
          { id: d.leads.closedLost, name: 'Emma — add-on', price: 300, statusId: 143, contactIds: [d.contacts.onlyClosedLeads] },
        ],
      },
      {
        id: a.id,
        subdomain: a.subdomain,
        name: 'Acme Brasil',
        country: 'BR',
        currency: 'BRL',
        users: [
          { id: a.users.admin, name: 'Ana Admin', email: 'ana@acme.example', isAdmin: true, phoneExtension: '201' },
          { id: a.users.manager, name: 'Caio Gerente', email: 'caio@acme.example', phoneExtension: '202' },
        ],
        pipelines: [
          {
            id: a.pipelines.vendas,
            name: 'Vendas',
            isMain: true,
            unsortedStatusId: a.statuses.incoming,
            statuses: [
              { id: a.statuses.novo, name: 'Novo', color: '#99ccff' },
              { id: a.statuses.negociacao, name: 'Em negociação', color: '#ffcc66' },
            ],
          },
        ],
        contacts: [
          { id: a.contacts.ana, name: 'Ana Souza', phones: [{ value: '+55 (21) 99876-5432', enumCode: 'MOB' }], createdAt: T0 + day },
          { id: a.contacts.sameNumberAsDemo, name: 'John Smith (Acme)', phones: ['+1 415 555 0100'], createdAt: T0 + 2 * day },
        ],
        leads: [{ id: a.leads.ana, name: 'Ana — plano empresarial', price: 5000, statusId: a.statuses.novo, contactIds: [a.contacts.ana] }],
      },
    ],
  };
}

/** The demo accounts, users and pipelines without any contact, company or lead. */
export function emptySeed(): SeedDefinition {
  return {
    accounts: demoSeed().accounts.map((account) => ({ ...account, contacts: [], companies: [], leads: [] })),
  };
}
