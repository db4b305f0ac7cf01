import { DEMO_ACCOUNT } from '../src/seed/demo.seed';
import { connect, control, Harness, http, sleep, startHarness } from './sandbox-harness';

const D = DEMO_ACCOUNT;

describe('Kommo sandbox — API contract', () => {
  let h: Harness;
  let admin: string;
  let manager: string;

  beforeAll(async () => {
    h = await startHarness({ limits: { requestsPerSecond: 10_000 } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await control(h.sandbox, 'POST', '/reset', { seed: 'demo' });
    admin = (await connect(h.sandbox, h.integration, D.id, D.host, D.users.admin)).access_token;
    manager = (await connect(h.sandbox, h.integration, D.id, D.host, D.users.manager)).access_token;
  });

  const api = (method: string, path: string, body?: unknown, token = admin) => http(h.sandbox.url, method, path, { token, host: D.host, body });
  const call = (phone: string, extra: Record<string, unknown> = {}) => ({ direction: 'inbound', phone, duration: 42, source: 'Contract PBX', uniq: `u-${phone}`, ...extra });
  const callNotes = async (type: 'leads' | 'contacts' | 'companies', id: number) =>
    (await control(h.sandbox, 'GET', `/accounts/${D.id}/notes?entityType=${type}&entityId=${id}`)).body.notes as { noteType: string; params: Record<string, unknown> }[];

  describe('account and users', () => {
    it('GET /account with=task_types,users_groups embeds them; problem+json on errors, hal+json on success', async () => {
      const answer = await api('GET', '/api/v4/account?with=task_types,users_groups,datetime_settings');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toContain('application/hal+json');
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
      expect(answer.body._embedded.task_types.map((type: { code: string }) => type.code)).toEqual(['FOLLOW_UP', 'MEETING']);
      expect(answer.body._embedded.users_groups).toHaveLength(1);
      expect(answer.body.amojo_id).toBeUndefined();
      expect((await api('GET', '/api/v4/account', undefined, manager)).body.current_user_id).toBe(D.users.manager);
    });

    it('GET /users is admin-only, paginated, with rights.is_admin / is_active', async () => {
      const denied = await api('GET', '/api/v4/users', undefined, manager);
      expect(denied.status).toBe(403);
      expect(denied.body.detail).toBe("Client doesn't have the required scope");
      const page1 = await api('GET', '/api/v4/users?limit=3&page=1');
      expect(page1.body._embedded.users.map((user: { id: number }) => user.id)).toEqual([1001, 1002, 1003]);
      expect(page1.body._links.next.href).toContain('page=2');
      const page2 = await api('GET', '/api/v4/users?limit=3&page=2');
      expect(page2.body._embedded.users[0]).toMatchObject({ id: D.users.inactive, rights: { is_admin: false, is_active: false } });
      expect(page2.body._links.next).toBeUndefined();
      expect((await api('GET', '/api/v4/users?limit=3&page=3')).status).toBe(204);
      expect((await api('GET', '/api/v4/users?limit=251')).status).toBe(422);
      expect((await api('GET', '/api/v4/users?limit=251')).body.detail).toBe('Limit 250 per page');
      expect((await api('GET', `/api/v4/users/${D.users.admin}`)).body.rights.is_admin).toBe(true);
    });
  });

  describe('contacts, companies, leads', () => {
    it('?query= finds a contact by phone in any format; nothing → 204 with an empty body', async () => {
      for (const query of ['+14155550100', '4155550100', '(415) 555-0100', '5550100']) {
        const answer = await api('GET', `/api/v4/contacts?query=${encodeURIComponent(query)}`);
        expect({ query, ids: answer.body?._embedded.contacts.map((c: { id: number }) => c.id) }).toEqual({ query, ids: [D.contacts.oneActiveLead] });
      }
      const none = await api('GET', `/api/v4/contacts?query=${encodeURIComponent(D.phones.unknown)}`);
      expect(none.status).toBe(204);
      expect(none.text).toBe('');
      const russian = await api('GET', '/api/v4/contacts?query=79161234567');
      expect(russian.body._embedded.contacts[0].id).toBe(D.contacts.severalActiveLeads);
      const company = await api('GET', `/api/v4/companies?query=${D.phones.company}`);
      expect(company.body._embedded.companies[0].id).toBe(D.companies.withPhone);
    });

    it('with=leads embeds the linked leads; PHONE is a multitext custom field; empty fields are null', async () => {
      const answer = await api('GET', `/api/v4/contacts/${D.contacts.severalActiveLeads}?with=leads`);
      expect(answer.body._embedded.leads.map((lead: { id: number }) => lead.id).sort()).toEqual([D.leads.severalA, D.leads.severalB]);
      expect(answer.body.custom_fields_values[0]).toMatchObject({ field_code: 'PHONE', field_type: 'multitext', values: [{ value: '8 (916) 123-45-67', enum_code: 'MOB' }] });
      expect((await api('GET', `/api/v4/contacts/${D.contacts.noLead}`)).body._embedded.leads).toBeUndefined();
      const created = await api('POST', '/api/v4/contacts', [{ name: 'No Fields' }]);
      const bare = await api('GET', `/api/v4/contacts/${created.body._embedded.contacts[0].id}`);
      expect(bare.body.custom_fields_values).toBeNull();
      expect((await api('GET', '/api/v4/contacts/999999')).status).toBe(204);
    });

    it('collection POST takes an array: an object body → 400 with validation-errors, nothing created', async () => {
      const before = (await control(h.sandbox, 'GET', `/accounts/${D.id}/state`)).body.contacts.length;
      const answer = await api('POST', '/api/v4/contacts', { name: 'Object body' });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ title: 'Bad Request', type: 'https://httpstatus.es/400', status: 400, detail: 'Request validation failed' });
      expect(answer.body['validation-errors'][0]).toEqual({ request_id: '0', errors: [{ code: 'InvalidType', path: '', detail: 'This value should be of type array.' }] });
      expect((await api('POST', '/api/v4/contacts', [])).body.detail).toBe('Request data can not be empty');
      expect((await api('POST', '/api/v4/contacts', Array.from({ length: 251 }, () => ({ name: 'x' })))).status).toBe(422);
      expect((await control(h.sandbox, 'GET', `/accounts/${D.id}/state`)).body.contacts.length).toBe(before);
    });

    it('creates and updates with request_id echo (yours, or the index as a string)', async () => {
      const created = await api('POST', '/api/v4/contacts', [
        { name: 'Maria Silva', request_id: 'mine', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+5511999998888', enum_code: 'MOB' }] }] },
        { first_name: 'Ana', last_name: 'Lima' },
      ]);
      expect(created.status).toBe(200);
      const [first, second] = created.body._embedded.contacts;
      expect(first).toMatchObject({ request_id: 'mine', is_deleted: false, is_unsorted: false });
      expect(second.request_id).toBe('1');
      expect((await api('GET', '/api/v4/contacts?query=999998888')).body._embedded.contacts[0].id).toBe(first.id);
      const patched = await api('PATCH', `/api/v4/contacts/${second.id}`, { name: 'Ana Lima Souza' });
      expect(patched.body._embedded.contacts[0].id).toBe(second.id);
      expect((await api('GET', `/api/v4/contacts/${second.id}`)).body.name).toBe('Ana Lima Souza');
      expect((await api('PATCH', '/api/v4/contacts', { id: second.id, name: 'x' })).status).toBe(400);
      const lead = await api('POST', '/api/v4/leads', [{ name: 'New deal', price: 10, _embedded: { contacts: [{ id: first.id }] } }]);
      expect(lead.body._embedded.leads[0].request_id).toBe('0');
      const bad = await api('POST', '/api/v4/leads', [{ name: 'Bad', status_id: 12345 }]);
      expect(bad.body['validation-errors'][0].errors[0]).toMatchObject({ code: 'NotSupportedChoice', path: 'status_id' });
    });

    it('pipelines carry 142/143 and the incoming-leads stage (type 1)', async () => {
      const answer = await api('GET', '/api/v4/leads/pipelines');
      const sales = answer.body._embedded.pipelines.find((pipeline: { id: number }) => pipeline.id === D.pipelines.sales);
      const statuses = sales._embedded.statuses as { id: number; type: number }[];
      expect(statuses.map((status) => status.id)).toEqual(expect.arrayContaining([142, 143, D.statuses.salesIncoming]));
      expect(statuses.find((status) => status.id === D.statuses.salesIncoming)!.type).toBe(1);
      expect(sales.is_main).toBe(true);
    });
  });

  describe('POST /api/v4/calls (attach algorithm)', () => {
    it('exactly one active lead → the call lands on the lead (a won lead does not count)', async () => {
      const answer = await api('POST', '/api/v4/calls', [call(D.phones.oneActiveLead, { request_id: 'r1', link: 'https://rec.example/1.mp3', call_status: 4 })]);
      expect(answer.status).toBe(200);
      expect(answer.body._total_items).toBe(1);
      expect(answer.body.errors).toEqual([]);
      expect(answer.body._embedded.calls[0]).toMatchObject({ entity_id: D.leads.oneActive, entity_type: 'lead', account_id: D.id, request_id: 'r1' });
      const notes = await api('GET', `/api/v4/leads/${D.leads.oneActive}/notes?filter[note_type][]=call_in`);
      expect(notes.body._embedded.notes[0]).toMatchObject({
        note_type: 'call_in',
        created_by: 0,
        params: { uniq: `u-${D.phones.oneActiveLead}`, duration: 42, source: 'Contract PBX', link: 'https://rec.example/1.mp3', phone: D.phones.oneActiveLead, call_status: 4 },
      });
    });

    it('several active leads, no leads, only closed leads → the contact; company number → the company', async () => {
      const answer = await api('POST', '/api/v4/calls', [
        call(D.phones.severalActiveLeads),
        call('8 916 123 45 67'.replace(/^8/, '+7'), { direction: 'outbound' }),
        call(D.phones.noLead),
        call(D.phones.onlyClosedLeads),
        call(D.phones.company),
        call(D.phones.shared),
      ]);
      const targets = answer.body._embedded.calls.map((entry: { entity_type: string; entity_id: number }) => [entry.entity_type, entry.entity_id]);
      expect(targets).toEqual([
        ['contact', D.contacts.severalActiveLeads],
        ['contact', D.contacts.severalActiveLeads],
        ['contact', D.contacts.noLead],
        ['contact', D.contacts.onlyClosedLeads],
        ['company', D.companies.withPhone],
        ['contact', D.contacts.sharedOlder],
      ]);
      expect((await callNotes('contacts', D.contacts.severalActiveLeads)).map((note) => note.noteType)).toEqual(['call_in', 'call_out']);
    });

    it('a number that matches nothing is not stored: 400 "Entity not found"', async () => {
      const answer = await api('POST', '/api/v4/calls', [call(D.phones.unknown)]);
      expect(answer.status).toBe(400);
      expect(answer.body._total_items).toBe(0);
      expect(answer.body.errors[0]).toMatchObject({ title: 'Entity not found', request_id: '0' });
      expect((await control(h.sandbox, 'GET', `/accounts/${D.id}/calls`)).body.calls).toHaveLength(0);
      const mixed = await api('POST', '/api/v4/calls', [call(D.phones.unknown), call(D.phones.noLead)]);
      expect(mixed.status).toBe(200);
      expect(mixed.body._total_items).toBe(1);
      expect(mixed.body.errors).toHaveLength(1);
    });

    it('no dedupe by uniq: the same call twice is two notes', async () => {
      await api('POST', '/api/v4/calls', [call(D.phones.noLead, { uniq: 'same' })]);
      await api('POST', '/api/v4/calls', [call(D.phones.noLead, { uniq: 'same' })]);
      expect(await callNotes('contacts', D.contacts.noLead)).toHaveLength(2);
    });

    it('validates required fields and call_status 1..7 (nothing stored on a bad batch)', async () => {
      const answer = await api('POST', '/api/v4/calls', [call(D.phones.noLead), { phone: D.phones.noLead, direction: 'sideways', duration: '10', call_status: 8 }]);
      expect(answer.status).toBe(400);
      const errors = answer.body['validation-errors'][0];
      expect(errors.request_id).toBe('1');
      expect(errors.errors.map((error: { path: string }) => error.path)).toEqual(['direction', 'duration', 'source', 'call_status']);
      expect(await callNotes('contacts', D.contacts.noLead)).toHaveLength(0);
      expect((await api('POST', '/api/v4/calls', call(D.phones.noLead))).status).toBe(400);
      expect((await api('GET', '/api/v4/calls')).status).toBe(405);
    });

    it('keeps tenants apart: the same number in another account is not matched', async () => {
      const answer = await api('POST', '/api/v4/calls', [call(D.phones.oneActiveLead)]);
      expect(answer.body._embedded.calls[0].account_id).toBe(D.id);
      expect((await control(h.sandbox, 'GET', '/accounts/31000002/calls')).body.calls).toHaveLength(0);
    });
  });

  describe('notes', () => {
    it('creates, lists (filter by note_type) and patches call notes', async () => {
      const created = await api('POST', '/api/v4/contacts/notes', [
        { entity_id: D.contacts.noLead, note_type: 'call_out', params: { uniq: 'n1', duration: 5, source: 'PBX', phone: '+5511912345678' } },
        { entity_id: D.contacts.noLead, note_type: 'common', params: { text: 'hello' } },
      ]);
      expect(created.status).toBe(200);
      const noteId = created.body._embedded.notes[0].id;
      const calls = await api('GET', `/api/v4/contacts/${D.contacts.noLead}/notes?filter[note_type][]=call_out`);
      expect(calls.body._embedded.notes).toHaveLength(1);
      const patched = await api('PATCH', `/api/v4/contacts/notes/${noteId}`, { note_type: 'call_out', params: { link: 'https://rec.example/n1.mp3', call_result: 'Sold' } });
      expect(patched.status).toBe(200);
      const note = await api('GET', `/api/v4/contacts/notes/${noteId}`);
      expect(note.body.params).toMatchObject({ uniq: 'n1', link: 'https://rec.example/n1.mp3', call_result: 'Sold' });
      const bad = await api('POST', '/api/v4/contacts/notes', [{ entity_id: 424242, note_type: 'call_in', params: {} }]);
      expect(bad.status).toBe(400);
      expect(bad.body['validation-errors'][0].errors.map((error: { path: string }) => error.path)).toEqual(['entity_id', 'params.phone', 'params.duration', 'params.source']);
    });

    it('lists notes of an entity type by filter[updated_at][from|to] (a call posted with updated_at keeps it)', async () => {
      const call = (uniq: string, updatedAt: number) => ({ direction: 'inbound', phone: '+5511912345678', duration: 3, source: 'Twilio', uniq, created_at: 1767225600, updated_at: updatedAt });
      expect((await api('POST', '/api/v4/calls', [call('upd-old', 1767225700), call('upd-new', 1767229300)])).status).toBe(200);
      const uniqsOf = async (query: string) => {
        const response = await api('GET', `/api/v4/contacts/notes?filter[note_type][]=call_in&${query}`);
        return response.status === 204 ? [] : (response.body._embedded.notes as { params: { uniq: string } }[]).map((note) => note.params.uniq).filter((uniq) => uniq.startsWith('upd-'));
      };
      expect(await uniqsOf('filter[updated_at][from]=1767229000')).toEqual(['upd-new']);
      expect(await uniqsOf('filter[updated_at][to]=1767229000')).toEqual(['upd-old']);
      expect(await uniqsOf('filter[updated_at][from]=1767225700&filter[updated_at][to]=1767229300')).toEqual(['upd-old', 'upd-new']);
      expect(await uniqsOf('filter[updated_at]=1767225700')).toEqual(['upd-old']);
      expect((await api('GET', '/api/v4/contacts/notes?filter[updated_at][from]=yesterday')).status).toBe(400);
    });
  });

  describe('incoming leads (unsorted sip)', () => {
    const sip = (uniq: string) => [
      {
        source_uid: 'pbx-1',
        source_name: 'Contract PBX',
        pipeline_id: D.pipelines.sales,
        metadata: { uniq, from: '+13105550000', phone: '+13105550000', called_at: 1767225600, duration: 12, link: 'https://rec.example/u.mp3', service_code: 'pbx', is_call_event_needed: true },
        _embedded: { leads: [{ name: 'Call from +13105550000' }], contacts: [{ name: '+13105550000', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+13105550000' }] }] }] },
      },
    ];

    it('creates hidden lead + contact in the incoming stage; accept (POST) unhides them', async () => {
      const created = await api('POST', '/api/v4/leads/unsorted/sip', sip('a'));
      expect(created.status).toBe(200);
      const item = created.body._embedded.unsorted[0];
      expect(item.uid).toMatch(/^[0-9a-f]{40}$/);
      expect(item.request_id).toBe('0');
      const contactId = item._embedded.contacts[0].id;
      expect((await api('GET', '/api/v4/contacts?query=3105550000')).status).toBe(204);
      const listed = await api('GET', '/api/v4/leads/unsorted?filter[category][]=sip');
      expect(listed.body._embedded.unsorted[0].metadata.is_call_event_needed).toBeUndefined();
      expect(listed.body._embedded.unsorted[0].metadata.uniq).toBe('a');
      const accepted = await api('POST', `/api/v4/leads/unsorted/${item.uid}/accept`, { user_id: D.users.manager, status_id: D.statuses.salesQualified });
      expect(accepted.status).toBe(200);
      expect(accepted.body._embedded.contacts[0]).toMatchObject({ id: contactId, is_unsorted: false });
      expect((await api('GET', '/api/v4/contacts?query=3105550000')).body._embedded.contacts[0].id).toBe(contactId);
      expect((await api('GET', `/api/v4/leads/${item._embedded.leads[0].id}`)).body.status_id).toBe(D.statuses.salesQualified);
      expect((await api('GET', '/api/v4/leads/unsorted')).status).toBe(204);
    });

    it('decline is DELETE (POST → 405); a duplicate submission is refused; source_uid/source_name required', async () => {
      const created = await api('POST', '/api/v4/leads/unsorted/sip', sip('b'));
      const uid = created.body._embedded.unsorted[0].uid;
      expect((await api('POST', '/api/v4/leads/unsorted/sip', sip('b'))).status).toBe(400);
      expect((await api('POST', `/api/v4/leads/unsorted/${uid}/decline`, { user_id: D.users.admin })).status).toBe(405);
      const declined = await api('DELETE', `/api/v4/leads/unsorted/${uid}/decline`, { user_id: D.users.admin });
      expect(declined.status).toBe(200);
      expect(declined.body.uid).toBe(uid);
      expect((await api('GET', `/api/v4/leads/unsorted/${uid}`)).status).toBe(204);
      const missing = await api('POST', '/api/v4/leads/unsorted/sip', [{ metadata: {} }]);
      expect(missing.body['validation-errors'][0].errors.map((error: { path: string }) => error.path)).toEqual(['source_uid', 'source_name']);
    });
  });

  describe('tasks, call events, webhooks, widget install', () => {
    it('tasks: create (array), list with filters (204 when none), complete with a result', async () => {
      expect((await api('GET', '/api/v4/tasks')).status).toBe(204);
      const created = await api('POST', '/api/v4/tasks', [{ text: 'Call back', complete_till: 1767229200, entity_type: 'contacts', entity_id: D.contacts.noLead, responsible_user_id: D.users.manager }]);
      const id = created.body._embedded.tasks[0].id;
      expect((await api('GET', `/api/v4/tasks?filter[responsible_user_id]=${D.users.manager}&filter[is_completed]=0`)).body._embedded.tasks[0]).toMatchObject({ id, task_type_id: 1, result: [] });
      await api('PATCH', `/api/v4/tasks/${id}`, { is_completed: true, result: { text: 'Done' } });
      expect((await api('GET', '/api/v4/tasks?filter[is_completed]=1')).body._embedded.tasks[0].result).toEqual({ text: 'Done' });
      expect((await api('POST', '/api/v4/tasks', [{ text: 'x' }])).body['validation-errors'][0].errors[0].path).toBe('complete_till');
    });

    it('POST /api/v2/events → 202; one notification per user with the entity Kommo would show', async () => {
      const answer = await api('POST', '/api/v2/events', { add: [{ type: 'phone_call', phone_number: '+1 415 555 0100', users: [D.users.manager] }] });
      expect(answer.status).toBe(202);
      await api('POST', '/api/v2/events', { add: [{ type: 'phone_call', phone_number: D.phones.unknown }] });
      const forManager = (await control(h.sandbox, 'GET', `/accounts/${D.id}/notifications?userId=${D.users.manager}`)).body.notifications;
      expect(forManager[0].entity).toEqual({ type: 'lead', id: D.leads.oneActive, name: 'Solar panels for John' });
      expect(forManager[1]).toMatchObject({ entity: null, createContactLink: `/contacts/add/?phone=${encodeURIComponent(D.phones.unknown)}` });
      const all = (await control(h.sandbox, 'GET', `/accounts/${D.id}/notifications`)).body.notifications;
      expect(all).toHaveLength(4); // 1 + the 3 active users
      expect((await api('POST', '/api/v2/events', { add: [{ type: 'sms', phone_number: '1' }] })).status).toBe(400);
    });

    it('webhooks: admin-only subscription; events arrive form-encoded with string values', async () => {
      expect((await api('POST', '/api/v4/webhooks', { destination: `${h.integration.url}/hooks`, settings: ['add_contact'] }, manager)).status).toBe(403);
      const subscribed = await api('POST', '/api/v4/webhooks', { destination: `${h.integration.url}/hooks`, settings: ['add_contact', 'note_contact'] });
      expect(subscribed.body).toMatchObject({ destination: `${h.integration.url}/hooks`, settings: ['add_contact', 'note_contact'], disabled: false });
      await api('POST', '/api/v4/contacts', [{ name: 'Hooked' }]);
      let delivered: { headers: Record<string, unknown>; body: string } | undefined;
      for (let attempt = 0; attempt < 50 && !delivered; attempt++) {
        delivered = h.integration.requests.find((request) => request.url.pathname === '/hooks');
        if (!delivered) await sleep(20);
      }
      expect(delivered!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      const form = new URLSearchParams(delivered!.body);
      expect(form.get('contacts[add][0][name]')).toBe('Hooked');
      expect(form.get('contacts[add][0][type]')).toBe('contact');
      expect(form.get('account[subdomain]')).toBe('demo');
      expect((await api('GET', '/api/v4/webhooks')).body._embedded.webhooks).toHaveLength(1);
      expect((await api('DELETE', '/api/v4/webhooks', { destination: `${h.integration.url}/hooks` })).status).toBe(204);
    });

    it('widget settings install is admin-only; users fields are {user_id: value}', async () => {
      const settings = { login: 'pbx', phones: { [String(D.users.manager)]: '102' } };
      expect((await api('POST', '/api/v4/widgets/voip_test', settings, manager)).status).toBe(403);
      const installed = await api('POST', '/api/v4/widgets/voip_test', settings);
      expect(installed.body).toMatchObject({ code: 'voip_test', is_active_in_account: true, settings });
      expect((await api('POST', '/api/v4/widgets/voip_test', { phones: { '999': '1' } })).status).toBe(400);
      expect((await api('POST', '/api/v4/widgets/other_widget', settings)).status).toBe(404);
    });

    it('402 switch: an account whose subscription is over refuses writes', async () => {
      await control(h.sandbox, 'POST', `/accounts/${D.id}/payment`, { required: true });
      expect((await api('POST', '/api/v4/contacts', [{ name: 'x' }])).status).toBe(402);
      expect((await api('GET', '/api/v4/account')).status).toBe(200);
    });
  });
});
