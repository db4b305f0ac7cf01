import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, TestStack } from '../utils/test-stack';
import { connectVoip, postTwilioWebhook } from '../utils/voip';
import { startWidgetBrowserStack, WidgetBrowserStack, widgetApi } from './widget-browser';
import { WidgetHost } from './widget-host.server';

/*
 * What a manager sees and touches, in real headless Chromium: the built widget.zip loaded by the Kommo
 * host harness (RequireJS, jQuery, APP globals, base modal, twig render, $authorizedAjax with sandbox-minted
 * JWTs), against the real api + worker + PostgreSQL + Redis + Kommo sandbox. Only Twilio's Voice SDK device
 * is replaced (harness/twilio-standin.js). Screenshots land in test-artifacts/widget-calls/.
 */

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'widget-calls');
const TWILIO = {
  accountSid: `AC${'5e'.repeat(16)}`,
  authToken: `${'1b'.repeat(14)}beef`,
  apiKeySid: `SK${'7c'.repeat(16)}`,
  apiKeySecret: 'Secr3tSecr3tSecr3tSecr3tSecr3t12',
  twimlAppSid: `AP${'4d'.repeat(16)}`,
  callerId: '+15550100999',
};
const JOHN = { id: 310001, phone: '+14155550100', name: 'John Smith', lead: 410001 };
const UNKNOWN_PHONE = '+13105559999';

interface HostState {
  ready?: boolean;
  error: string | null;
  requests: { method: string; url: string; body: string | null; status?: number | string }[];
  notifications: { kind: string; header?: string; text?: string }[];
  navigations: string[];
  phoneButtons: string[];
}

jest.setTimeout(90_000);

describe('Kommo widget: calls (real Chromium, built widget.zip, real api + worker + sandbox)', () => {
  let stack: TestStack;
  let host: WidgetHost;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];
  let voiceUrl: string;
  let statusUrl: string;
  let callSeq = 0;

  let all: WidgetBrowserStack | undefined;

  beforeAll(async () => {
    all = await startWidgetBrowserStack();
    ({ stack, host, browser } = all);
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await all?.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    await stack.drain();
    const voip = await connectVoip(stack, { accountId: DEMO.accountId, adminId: DEMO.admin, provider: 'twilio', credentials: TWILIO });
    voiceUrl = voip.connection.webhookUrls.voiceUrl;
    statusUrl = voip.connection.webhookUrls.statusCallbackUrl;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    pageErrors = [];
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  const api = (userId: number, method: string, path: string, body?: unknown) => widgetApi(stack, DEMO.accountId, userId, method, path, body);
  const mapExtensions = async (entries: { extension: string; userId: number }[]) => {
    const answer = await api(DEMO.admin, 'PUT', '/widget/extensions', { extensions: entries });
    expect(answer.status).toBe(200);
  };
  const hostState = (page: Page) => page.evaluate(() => (window as unknown as { __kommoHost: HostState }).__kommoHost);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, name) });

  const openPage = async (userId: number, query: { area: 'advanced' | 'ccard' | 'dashboard'; card?: number; phones?: string[] }) => {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    await page.goto(host.pageUrl({ accountId: DEMO.accountId, userId, serverUrl: stack.apiUrl, ...query }));
    await page.waitForFunction(() => {
      const state = (window as unknown as { __kommoHost?: HostState }).__kommoHost;
      return Boolean(state && (state.ready || state.error));
    });
    expect((await hostState(page)).error).toBeNull();
    return page;
  };
  /** The live channel is open once the api answered the ticket and the stream said `ready`. */
  const waitLive = (page: Page) =>
    page.waitForFunction(
      (apiUrl) =>
        (window as unknown as { __kommoHost: HostState }).__kommoHost.requests.some(
          (request) => request.url === `${apiUrl}/widget/live/ticket` && request.status === 200,
        ),
      stack.apiUrl,
    ).then(() => page.waitForTimeout(300));

  const newCallSid = () => `CA${(Date.now().toString(16) + (callSeq += 1).toString(16)).padStart(32, '0').slice(-32)}`;
  const ring = async (from: string, callSid: string) => {
    const response = await postTwilioWebhook(voiceUrl, TWILIO.authToken, {
      AccountSid: TWILIO.accountSid, CallSid: callSid, From: from, To: TWILIO.callerId, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
    });
    expect(response.status).toBe(200);
    return response.text();
  };
  const popups = async (pages: Page[]) => (await Promise.all(pages.map((page) => page.locator('[data-kvoip="caller-popup"]').count()))).reduce((a, b) => a + b, 0);

  it('admin edits the extension map on the advanced settings page; a bad identity is refused with the reason', async () => {
    const page = await openPage(DEMO.admin, { area: 'advanced' });
    const table = page.locator('[data-kvoip="extensions-table"]');
    await table.waitFor();
    await shot(page, '01-extensions.png');
    const bob = page.locator(`[data-kvoip="extension-input"][data-user-id="${DEMO.manager}"]`);
    await bob.fill('bob_softphone, +1 (415) 555-0102');
    await page.locator('[data-kvoip="extensions-save"]').click();
    await page.locator('[data-kvoip="extensions-status"]', { hasText: 'Extensions saved.' }).waitFor();
    const saved = await api(DEMO.admin, 'GET', '/widget/extensions');
    const mine = saved.body.extensions.filter((entry: { userId: number }) => entry.userId === DEMO.manager).map((entry: { extension: string }) => entry.extension);
    expect(mine).toHaveLength(2);
    expect(mine).toContain('+14155550102'); // normalised to E.164 at the edge
    expect(mine.some((identity: string) => identity.endsWith('bob_softphone'))).toBe(true);
    await shot(page, '02-extensions-saved.png');

    await page.locator(`[data-kvoip="extension-input"][data-user-id="${DEMO.manager}"]`).fill('not a valid identity!');
    await page.locator('[data-kvoip="extensions-save"]').click();
    const errors = page.locator('[data-kvoip="extensions-errors"]');
    await errors.waitFor({ state: 'visible' });
    expect(await errors.textContent()).toMatch(/extensions\[0\]|identity|not a valid/i);
    await shot(page, '03-extensions-refused.png');
  });

  it('an incoming call shows exactly one caller popup (two tabs open) with the caller and a link to the active lead', async () => {
    await mapExtensions([{ extension: 'bob_softphone', userId: DEMO.manager }]);
    const tabs = [await openPage(DEMO.manager, { area: 'dashboard' }), await openPage(DEMO.manager, { area: 'dashboard' })];
    await Promise.all(tabs.map(waitLive));
    await ring(JOHN.phone, newCallSid());
    await tabs[0].waitForFunction(() => document.querySelectorAll('[data-kvoip="caller-popup"]').length > 0, undefined, { timeout: 10_000 }).catch(() => undefined);
    await tabs[1].waitForTimeout(1500); // the other tab had time to (wrongly) draw its own
    expect(await popups(tabs)).toBe(1);
    const page = (await tabs[0].locator('[data-kvoip="caller-popup"]').count()) ? tabs[0] : tabs[1];
    const popup = page.locator('[data-kvoip="caller-popup"]');
    expect(await popup.locator('[data-kvoip="popup-name"]').textContent()).toContain(JOHN.name);
    const leadLink = popup.locator('[data-kvoip="popup-lead"]');
    expect(await leadLink.getAttribute('href')).toBe(`https://${DEMO.host}/leads/detail/${JOHN.lead}`);
    await shot(page, '04-caller-popup.png');
    await leadLink.click();
    expect((await hostState(page)).navigations).toContain(`/leads/detail/${JOHN.lead}`);
  });

  it('an unknown number: the popup offers "Create contact" for that number', async () => {
    await mapExtensions([{ extension: 'bob_softphone', userId: DEMO.manager }]);
    const page = await openPage(DEMO.manager, { area: 'dashboard' });
    await waitLive(page);
    await ring(UNKNOWN_PHONE, newCallSid());
    const create = page.locator('[data-kvoip="popup-create-contact"]');
    await create.waitFor();
    expect(await create.getAttribute('href')).toBe(`https://${DEMO.host}/contacts/add/?phone=${encodeURIComponent(UNKNOWN_PHONE)}`);
    expect(await page.locator('[data-kvoip="popup-name"]').textContent()).toContain('Unknown number');
    await shot(page, '05-unknown-caller.png');
  });

  it('click-to-call from a contact card through the softphone; keypad DTMF; a dropped call is reported and redialled', async () => {
    await mapExtensions([{ extension: 'bob_softphone', userId: DEMO.manager }]);
    const page = await openPage(DEMO.manager, { area: 'ccard', card: JOHN.id, phones: ['+1 (415) 555-0100'] });
    await page.waitForFunction(() => (window as unknown as { __twilioStandIn: { registered(): unknown[] } }).__twilioStandIn.registered().length === 1);
    await page.locator('[data-kh="phone-action"]').click();
    await page.waitForFunction(() => (window as unknown as { __twilioStandIn: { log: string[] } }).__twilioStandIn.log.some((line) => line.startsWith('connect:')));
    const connect = await page.evaluate(() => (window as unknown as { __twilioStandIn: { log: string[] } }).__twilioStandIn.log.find((line) => line.startsWith('connect:')));
    expect(connect).toContain('"To":"+14155550100"');
    const body = JSON.parse((await hostState(page)).requests.find((request) => request.url.endsWith('/widget/calls'))?.body ?? '{}');
    expect(body).toMatchObject({ phone: '+1 (415) 555-0100', mode: 'softphone', entity: { type: 'contact', id: JOHN.id } });

    await page.evaluate(() => {
      const standIn = (window as unknown as { __twilioStandIn: { last(): { id: number }; remoteAnswer(id: number): void } }).__twilioStandIn;
      standIn.remoteAnswer(standIn.last().id);
    });
    await page.locator('[data-kh="phone-button"]').click();
    const phone = page.locator('[data-kvoip="softphone"]');
    await phone.and(page.locator('[data-status="in-call"]')).waitFor();
    for (const key of ['1', '2', '#']) await phone.locator(`[data-kvoip="phone-key"][data-key="${key}"]`).click();
    const digits = await page.evaluate(() => (window as unknown as { __twilioStandIn: { last(): { digits: string } } }).__twilioStandIn.last().digits);
    expect(digits).toBe('12#');
    await phone.locator('[data-kvoip="phone-mute"]').click();
    await page.locator('[data-kvoip="phone-mute"][aria-pressed="true"]').waitFor();
    await shot(page, '06-softphone-in-call.png');

    await page.evaluate(() => {
      const standIn = (window as unknown as { __twilioStandIn: { last(): { id: number }; dropConnection(id: number): void } }).__twilioStandIn;
      standIn.dropConnection(standIn.last().id);
    });
    await page.locator('[data-kvoip="softphone"][data-status="dropped"]').waitFor();
    expect(await page.locator('[data-kvoip="phone-message"]').textContent()).toContain('connection was lost');
    await shot(page, '07-softphone-dropped.png');
    await page.locator('[data-kvoip="phone-redial"]').click();
    await page.waitForFunction(() => (window as unknown as { __twilioStandIn: { log: string[] } }).__twilioStandIn.log.filter((line) => line.startsWith('connect:')).length === 2);
  });

  it('click-to-call with no phone assigned is refused with a message the manager sees (never silent)', async () => {
    const page = await openPage(DEMO.manager, { area: 'ccard', card: JOHN.id, phones: ['+1 (415) 555-0100'] });
    await page.locator('[data-kh="phone-action"]').click();
    const toast = page.locator('[data-kvoip="toast"][data-kind="error"]');
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/no phone or softphone assigned/i);
    expect((await hostState(page)).notifications.some((note) => note.kind === 'error')).toBe(true);
    await shot(page, '08-click-to-call-refused.png');
  });

  it('after an answered call the manager gets the call-result window; saving updates the one call note and creates the task', async () => {
    await mapExtensions([{ extension: 'bob_softphone', userId: DEMO.manager }]);
    const page = await openPage(DEMO.manager, { area: 'dashboard' });
    await waitLive(page);
    const parent = newCallSid();
    const child = newCallSid();
    await ring(JOHN.phone, parent);
    const status = (params: Record<string, string>) =>
      postTwilioWebhook(statusUrl, TWILIO.authToken, { AccountSid: TWILIO.accountSid, ApiVersion: '2010-04-01', ...params }).then((response) => expect(response.status).toBe(204));
    const started = Math.floor(Date.now() / 1000);
    await status({ CallSid: child, ParentCallSid: parent, From: JOHN.phone, To: 'client:bob_softphone', Direction: 'outbound-dial', CallStatus: 'in-progress', Timestamp: new Date(started * 1000).toUTCString() });
    await status({ CallSid: child, ParentCallSid: parent, From: JOHN.phone, To: 'client:bob_softphone', Direction: 'outbound-dial', CallStatus: 'completed', CallDuration: '42', Timestamp: new Date((started + 42) * 1000).toUTCString() });
    await status({ CallSid: parent, From: JOHN.phone, To: TWILIO.callerId, Direction: 'inbound', CallStatus: 'completed', CallDuration: '45', Timestamp: new Date((started + 45) * 1000).toUTCString() });

    const modal = page.locator('[data-kvoip="result"]');
    await modal.waitFor({ timeout: 20_000 });
    await shot(page, '09-call-result.png');
    await modal.locator('[data-kvoip="result-status"]').selectOption('2');
    await modal.locator('[data-kvoip="result-text"]').fill('Wants a quote for 12 panels');
    await modal.locator('[data-kvoip="result-task-enabled"]').check();
    await modal.locator('[data-kvoip="result-task-text"]').fill('Send the quote');
    await modal.locator('[data-kvoip="result-save"]').click();
    await modal.waitFor({ state: 'detached' });
    await stack.drain();

    const notes = (await stack.sandbox.call<{ notes: { noteType?: string; note_type?: string }[] }>('GET', `/accounts/${DEMO.accountId}/notes`)).notes.filter(
      (note) => (note.noteType ?? note.note_type) === 'call_in',
    );
    expect(notes).toHaveLength(1);
    expect(JSON.stringify(notes[0])).toContain('Wants a quote for 12 panels');
    const tasks = (await stack.sandbox.call<{ tasks: { text: string }[] }>('GET', `/accounts/${DEMO.accountId}/tasks`)).tasks.filter((task) => task.text === 'Send the quote');
    expect(tasks).toHaveLength(1);
    await shot(page, '10-call-result-saved.png');
  });
});
