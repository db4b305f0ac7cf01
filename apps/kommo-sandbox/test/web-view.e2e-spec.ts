import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { DEMO_ACCOUNT } from '../src/seed/demo.seed';
import { connect, control, Harness, http, startHarness } from './sandbox-harness';

const D = DEMO_ACCOUNT;
const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');

describe('Kommo sandbox — web view in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startHarness({ limits: { requestsPerSecond: 10_000 } });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h.close();
  });

  it('shows call notes, incoming leads with accept/decline, tasks and notifications; decline works', async () => {
    const token = (await connect(h.sandbox, h.integration, D.id, D.host)).access_token;
    const api = (method: string, path: string, body: unknown) => http(h.sandbox.url, method, path, { token, host: D.host, body });
    await api('POST', '/api/v4/calls', [
      { direction: 'inbound', phone: D.phones.oneActiveLead, duration: 125, source: 'Demo PBX', link: 'https://rec.example/call-1.mp3', call_status: 4, call_result: 'Interested <b>very</b>' },
    ]);
    await api('POST', '/api/v4/calls', [{ direction: 'outbound', phone: D.phones.severalActiveLeads, duration: 0, source: 'Demo PBX', call_status: 7 }]);
    const sip = await api('POST', '/api/v4/leads/unsorted/sip', [
      { source_uid: 'pbx', source_name: 'Demo PBX', metadata: { uniq: 'v1', from: '+13105550000', duration: 9, link: 'https://rec.example/u.mp3' }, _embedded: { contacts: [{ name: 'Unknown caller' }] } },
      { source_uid: 'pbx', source_name: 'Demo PBX', metadata: { uniq: 'v2', from: '+13105550001', duration: 3 }, _embedded: { contacts: [{ name: 'Second caller' }] } },
    ]);
    const [firstUid] = sip.body._embedded.unsorted.map((item: { uid: string }) => item.uid);
    await api('POST', '/api/v4/tasks', [{ text: 'Call John back', complete_till: 1767229200, entity_type: 'leads', entity_id: D.leads.oneActive }]);
    await api('POST', '/api/v2/events', { add: [{ type: 'phone_call', phone_number: D.phones.oneActiveLead, users: [D.users.manager] }] });

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${h.sandbox.url}/view/${D.id}`);
    const lead = page.locator(`#leads-${D.leads.oneActive}`);
    await expect(lead.locator('.call').innerText()).resolves.toContain('Incoming call');
    expect(await lead.locator('.call').innerText()).toContain('2:05');
    expect(await lead.locator('.call').innerText()).toContain('conversation');
    expect(await lead.locator('.call').innerText()).toContain('Interested <b>very</b>');
    expect(await lead.locator('audio').getAttribute('src')).toBe('https://rec.example/call-1.mp3');
    expect(await page.locator(`#contacts-${D.contacts.severalActiveLeads} .call`).innerText()).toContain('busy');
    expect(await page.locator('#unsorted tr[data-uid]').count()).toBe(2);
    expect(await page.locator('#tasks').innerText()).toContain('Call John back');
    expect(await page.locator(`[data-user="${D.users.manager}"]`).innerText()).toContain('Solar panels for John');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'kommo-sandbox-view.png'), fullPage: true });

    await page.locator(`tr[data-uid="${firstUid}"] button:has-text("Decline")`).click();
    await page.waitForURL(/#unsorted$/);
    expect(await page.locator('#unsorted tr[data-uid]').count()).toBe(1);
    const state = (await control(h.sandbox, 'GET', `/accounts/${D.id}/unsorted`)).body.unsorted as { uid: string; state: string }[];
    expect(state.find((item) => item.uid === firstUid)!.state).toBe('declined');
    await page.close();
  });
});
