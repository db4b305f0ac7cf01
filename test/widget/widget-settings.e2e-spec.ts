import { PROVIDER_STATE_REPOSITORY, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import { AccountNeedsReauthError } from '@app/domain';
import type { CallImportStateRepository, VoipConnectionRepository } from '@app/domain';
import { KommoApiClient } from '@app/kommo';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { RingCentralFake, startRingCentralFake } from '../fakes/ringcentral-fake';
import { zenviaFixture } from '../fakes/zenvia-fake';
import { freshInstall } from '../utils/kommo-install';
import { DEMO, TestStack } from '../utils/test-stack';
import { startWidgetBrowserStack, WidgetBrowserStack, widgetApi } from './widget-browser';
import { WidgetHost } from './widget-host.server';

/*
 * The Kommo widget's settings window in real headless Chromium: widget/ loaded by the host harness
 * (test/widget/harness, emulating kommo-api.md §9), talking to the real api (in-process, real
 * PostgreSQL/Redis) with X-Auth-Token JWTs minted by the Kommo sandbox.
 */

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'widget');
const WIDGET_DIR = join(__dirname, '..', '..', 'widget');
const TWILIO = { accountSid: `AC${'3f'.repeat(16)}`, authToken: `${'0a'.repeat(14)}c0de` };
const MASK = '••••••••';
const RINGCENTRAL = { clientId: 'rcClientId_0123456789', clientSecret: 'rcClientSecret_0123456789abcdef', jwt: 'eyJraWQiOiJhIn0.eyJzdWIiOiI2MjI2NDQyNTAxMiJ9.c2lnbmF0dXJl' };
/** The api's RingCentral client talks to the offline RingCentral (test/fakes) for this whole file. */
const RINGCENTRAL_ENV = ['RINGCENTRAL_API_BASE_URL', 'RINGCENTRAL_MEDIA_BASE_URL'] as const;

interface HostRequest {
  method: string;
  url: string;
  body: string | null;
  status?: number | string;
}
interface HostState {
  ready?: boolean;
  error: string | null;
  lifecycle: string[];
  requests: HostRequest[];
}

jest.setTimeout(60_000);

describe('Kommo widget: admin settings window (real Chromium, harness host, real api)', () => {
  let stack: TestStack;
  let host: WidgetHost;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];

  let all: WidgetBrowserStack | undefined;
  let rc: RingCentralFake;

  beforeAll(async () => {
    rc = await startRingCentralFake(RINGCENTRAL);
    const saved = RINGCENTRAL_ENV.map((name) => [name, process.env[name]] as const);
    for (const name of RINGCENTRAL_ENV) process.env[name] = rc.url; // read once, when the stack loads its config
    try {
      all = await startWidgetBrowserStack();
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    ({ stack, host, browser } = all);
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await all?.close();
    await rc?.close();
  });
  beforeEach(async () => {
    await freshInstall(stack, [DEMO.accountId]);
    await stack.drain(); // users synced (the default responsible user must be one of them)
    context = await browser.newContext({ viewport: { width: 1200, height: 2000 }, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.origin });
    pageErrors = [];
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  const api = (userId: number, method: string, path: string, body?: unknown) => widgetApi(stack, DEMO.accountId, userId, method, path, body);

  const hostState = (page: Page) => page.evaluate(() => (window as unknown as { __kommoHost: HostState }).__kommoHost);

  /** Opens the harness as a Kommo user, clicks the widget tile, waits for the settings window. */
  const openSettings = async (userId: number, lang = 'en'): Promise<{ page: Page; root: Locator }> => {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000); // a broken window fails fast instead of hitting the test timeout
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // HTTP errors the window handles (e.g. the api's 400) are asserted per request, not here.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    await page.goto(host.pageUrl({ accountId: DEMO.accountId, userId, serverUrl: stack.apiUrl, lang }));
    await page.waitForFunction(() => {
      const state = (window as unknown as { __kommoHost?: HostState }).__kommoHost;
      return Boolean(state && (state.ready || state.error));
    });
    expect((await hostState(page)).error).toBeNull();
    await page.locator('[data-kh="widget-tile"]').click();
    const root = page.locator('[data-kvoip="root"]');
    await root.locator('[data-kvoip="section-provider"], [data-kvoip="state-error"]').first().waitFor();
    return { page, root };
  };

  const shot = (page: Page, name: string) => page.locator('.kh-modal__window').screenshot({ path: join(ARTIFACTS, name) });
  const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const chooseProvider = (root: Locator, name: string) => root.locator('[data-kvoip="providers"] label', { hasText: name }).click();
  const credential = (root: Locator, field: string) => root.locator(`[data-kvoip-credential="${field}"]`);
  const widgetRequests = async (page: Page, method: string) =>
    (await hostState(page)).requests.filter((request) => request.method === method && request.url.startsWith(stack.apiUrl));

  it('shows an admin the defaults and "no provider connected", all texts translated', async () => {
    const { page, root } = await openSettings(DEMO.admin);

    expect((await hostState(page)).lifecycle).toEqual(['render:true', 'init:true', 'bind_actions:true', 'settings']);
    expect(await text(root.locator('[data-kvoip="account-status"]'))).toContain('Connected to Kommo');
    expect(await root.locator('[data-kvoip="reauth-banner"]').count()).toBe(0);
    expect(await text(root.locator('[data-kvoip="connection-state"]'))).toBe('No provider connected yet.');
    expect(await root.locator('[data-kvoip="webhooks-empty"]').isVisible()).toBe(true);

    expect(await root.locator('[name="defaultResponsibleUserId"]').inputValue()).toBe('');
    expect(await root.locator('input[value="incoming_lead"]').isChecked()).toBe(true);
    expect(await root.locator('[name="missedCallTaskEnabled"]').isChecked()).toBe(true);
    expect(await root.locator('[name="missedCallTaskDelayMinutes"]').inputValue()).toBe('15');
    expect(await root.locator('[name="recordingEnabled"]').isChecked()).toBe(true);
    expect(await root.locator('[data-kvoip="save"]').isEnabled()).toBe(true);

    // Every provider of the API's spec is offered; no untranslated key leaks into the window.
    expect(await root.locator('[data-kvoip="providers"] input[type="radio"]').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual([
      'twilio',
      'generic_pbx',
      'ringcentral',
      'zenvia',
    ]);
    expect(await root.innerText()).not.toContain('kvoip.');
    // The reads (account, settings, the users for the ring group) went through $authorizedAjax and were accepted.
    expect((await widgetRequests(page, 'GET')).map((request) => [request.url.replace(stack.apiUrl, ''), request.status]).sort()).toEqual([
      ['/widget/account', 200],
      ['/widget/extensions', 200],
      ['/widget/settings', 200],
    ]);
    await shot(page, '01-admin-defaults.png');
  });

  it("shows the API's message inline for a bad credential and saves nothing", async () => {
    const { page, root } = await openSettings(DEMO.admin);
    await chooseProvider(root, 'Twilio');
    expect(await credential(root, 'authToken').getAttribute('type')).toBe('password');
    expect(await credential(root, 'accountSid').getAttribute('type')).toBe('text');
    await credential(root, 'accountSid').fill('AC123');
    await credential(root, 'authToken').fill(TWILIO.authToken);
    await root.locator('[name="recordingEnabled"]').uncheck();
    await root.locator('[data-kvoip="save"]').click();

    const fieldError = root.locator('[data-kvoip-field="credentials.accountSid"] [data-kvoip="field-error"]');
    await fieldError.waitFor();
    expect(await text(fieldError)).toBe('credentials.accountSid must be an Account SID: "AC" followed by 32 hex characters');
    expect(await credential(root, 'accountSid').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-kvoip-credential'))).toBe('accountSid');
    expect(await text(root.locator('[data-kvoip="errors"]'))).toContain('Not saved.');
    expect(await text(root.locator('[data-kvoip="save-status"]'))).toBe(''); // no "Saving…" left, no "Settings saved."

    // Refused by the api (400), and the defaults were not written either.
    expect((await widgetRequests(page, 'PUT')).map((request) => request.status)).toEqual([400]);
    expect(await widgetRequests(page, 'PATCH')).toEqual([]);
    const stored = await api(DEMO.admin, 'GET', '/widget/settings');
    expect(stored.body.connection).toBeNull();
    expect(stored.body.settings).toMatchObject({ recordingEnabled: true, updatedAt: null });
    await shot(page, '02-admin-bad-credential.png');
  });

  it('connects Twilio: saved, webhook URLs shown and copyable, secrets never shown back, the API agrees', async () => {
    const { page, root } = await openSettings(DEMO.admin);
    await chooseProvider(root, 'Twilio');
    await credential(root, 'accountSid').fill(TWILIO.accountSid);
    await credential(root, 'authToken').fill(TWILIO.authToken);
    await root.locator('[data-kvoip-field="unknownNumberPolicy"] label', { hasText: 'Create a contact' }).click();
    await root.locator('[name="defaultResponsibleUserId"]').fill(String(DEMO.manager));
    await root.locator('[name="missedCallTaskDelayMinutes"]').fill('30');
    await page.keyboard.press('Enter'); // Enter in a field saves, like a form

    await root.locator('[data-kvoip="save-status"]', { hasText: 'Settings saved.' }).waitFor();
    expect(await text(root.locator('[data-kvoip="connection-state"]'))).toMatch(/^Connected: Twilio · last changed /);

    // Only what the admin typed was sent; unchanged defaults were not.
    const [put] = await widgetRequests(page, 'PUT');
    expect(JSON.parse(put.body!)).toEqual({ provider: 'twilio', credentials: TWILIO });
    const [patch] = await widgetRequests(page, 'PATCH');
    expect(JSON.parse(patch.body!)).toEqual({ defaultResponsibleUserId: DEMO.manager, unknownNumberPolicy: 'create_contact', missedCallTaskDelayMinutes: 30 });

    // Write-only: inputs empty, masked values as placeholders, the secrets nowhere in the page.
    expect(await credential(root, 'accountSid').inputValue()).toBe('');
    expect(await credential(root, 'authToken').inputValue()).toBe('');
    expect(await credential(root, 'authToken').getAttribute('placeholder')).toBe(`${MASK}c0de`);
    expect(await credential(root, 'accountSid').getAttribute('placeholder')).toBe(`${MASK}3f3f`);
    const html = await page.content();
    expect(html).not.toContain(TWILIO.authToken);
    expect(html).not.toContain(TWILIO.accountSid);

    // The api confirms, and the window shows exactly its webhook URLs.
    const stored = await api(DEMO.admin, 'GET', '/widget/settings');
    expect(stored.body.connection).toMatchObject({ provider: 'twilio', credentials: { authToken: `${MASK}c0de` } });
    expect(stored.body.settings).toMatchObject({
      unknownNumberPolicy: 'create_contact',
      defaultResponsibleUserId: DEMO.manager,
      missedCallTaskDelayMinutes: 30,
      recordingEnabled: true,
      updatedByUserId: DEMO.admin,
    });
    const shown = await root.locator('[data-kvoip="webhooks"] input').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(shown).toEqual(Object.values(stored.body.connection.webhookUrls));
    expect(shown).toHaveLength(4); // voice, status, recording, and the TwiML App's Voice URL for the softphone
    expect(shown[0]).toMatch(new RegExp(`^${stack.apiUrl}/voip/twilio/[A-Za-z0-9_-]{32}/voice$`));

    // Copy button puts the URL on the clipboard.
    const voiceRow = root.locator('[data-kvoip="webhook-voiceUrl"]');
    await voiceRow.locator('[data-kvoip="copy"]').click();
    await voiceRow.locator('[data-kvoip="copy-feedback"]', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown[0]);
    await shot(page, '03-admin-saved.png');

    // Replacing one secret sends only that one; the other stays stored.
    const newToken = `${'b7'.repeat(14)}beef`;
    await credential(root, 'authToken').fill(newToken);
    await root.locator('[data-kvoip="save"]').click();
    await root.locator('[data-kvoip="save-status"]', { hasText: 'Settings saved.' }).waitFor();
    const puts = await widgetRequests(page, 'PUT');
    expect(JSON.parse(puts[1].body!)).toEqual({ provider: 'twilio', credentials: { authToken: newToken } });
    expect((await widgetRequests(page, 'PATCH')).length).toBe(1);
    const after = await api(DEMO.admin, 'GET', '/widget/settings');
    expect(after.body.connection.credentials).toEqual({ accountSid: `${MASK}3f3f`, authToken: `${MASK}beef` });
    expect(after.body.connection.webhookUrls).toEqual(stored.body.connection.webhookUrls);
  });

  it('shows a refused default next to its field and writes nothing', async () => {
    const { page, root } = await openSettings(DEMO.admin);
    await root.locator('[name="defaultResponsibleUserId"]').fill('424242');
    await root.locator('[data-kvoip="save"]').click();
    const fieldError = root.locator('[data-kvoip-field="defaultResponsibleUserId"] [data-kvoip="field-error"]');
    await fieldError.waitFor();
    expect(await text(fieldError)).toBe('defaultResponsibleUserId 424242 is not a user of this account');
    expect(await widgetRequests(page, 'PUT')).toEqual([]);
    expect((await widgetRequests(page, 'PATCH')).map((request) => request.status)).toEqual([400]);
    expect((await api(DEMO.admin, 'GET', '/widget/settings')).body.settings).toMatchObject({ defaultResponsibleUserId: null, updatedAt: null });

    // A value the window itself refuses never reaches the api.
    await root.locator('[name="defaultResponsibleUserId"]').fill('');
    await root.locator('[name="missedCallTaskDelayMinutes"]').fill('99999');
    await root.locator('[data-kvoip="save"]').click();
    expect(await text(root.locator('[data-kvoip-field="missedCallTaskDelayMinutes"] [data-kvoip="field-error"]'))).toContain('from 0 to 10080');
    expect((await widgetRequests(page, 'PATCH')).length).toBe(1);
  });

  it('connects a generic PBX and shows its generated signing secret once', async () => {
    const { page, root } = await openSettings(DEMO.admin);
    await chooseProvider(root, 'Generic PBX');
    expect(await root.locator('[data-kvoip-credential]').count()).toBe(1); // the optional recording host
    await root.locator('[data-kvoip="save"]').click();
    await root.locator('[data-kvoip="save-status"]', { hasText: 'Settings saved.' }).waitFor();

    const secret = await root.locator('[data-kvoip="generated-signingSecret"] input').inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await api(DEMO.admin, 'GET', '/widget/settings');
    expect(stored.body.connection.credentials).toEqual({ signingSecret: `${MASK}${secret.slice(-4)}` });
    expect(await root.locator('[data-kvoip="webhooks"] input').inputValue()).toBe(stored.body.connection.webhookUrls.eventsUrl);
    await shot(page, '07-admin-pbx-secret-once.png');

    // Reopened: the secret is gone from the window (only its mask is mentioned).
    await page.locator('[data-kh="modal-close"]').click();
    await page.locator('[data-kh="widget-tile"]').click();
    await root.locator('[data-kvoip="section-provider"]').waitFor();
    expect(await root.locator('[data-kvoip="generated-secrets"]').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
  });

  it('shows a manager a read-only window with no Save', async () => {
    expect((await api(DEMO.admin, 'PUT', '/widget/voip-connection', { provider: 'twilio', credentials: TWILIO })).status).toBe(200);
    const { page, root } = await openSettings(DEMO.manager);

    expect(await text(root.locator('[data-kvoip="readonly-notice"]'))).toBe('View only Only account administrators can change these settings.');
    expect(await root.locator('[data-kvoip="save"]').count()).toBe(0);
    expect(await text(root.locator('[data-kvoip="connection-state"]'))).toContain('Connected: Twilio');
    // Every input is disabled, and the webhook URLs (their path key is a secret) are not shown to managers.
    expect(await root.locator('input:not([disabled])').count()).toBe(0);
    expect(await text(root.locator('[data-kvoip="webhooks-admin-only"]'))).toBe('Only account administrators can see the webhook URLs.');
    expect(await root.locator('[data-kvoip="webhooks"]').count()).toBe(0);
    expect(await page.content()).not.toContain('/voip/twilio/');
    expect(await root.locator('[data-kvoip-credential]').count()).toBe(6); // Twilio: 2 required + 4 optional (API key SID and secret, TwiML App SID, caller ID)
    expect(await root.locator('[data-kvoip-credential]:disabled').count()).toBe(6);
    expect(await root.locator('[data-kvoip="providers"] input:disabled').count()).toBe(4);
    // Nothing was written on the manager's behalf.
    expect(await widgetRequests(page, 'PUT')).toEqual([]);
    expect(await widgetRequests(page, 'PATCH')).toEqual([]);
    await shot(page, '04-manager-read-only.png');
  });

  it('shows a re-authorize banner when Kommo refused the refresh (needs re-auth)', async () => {
    await stack.sandbox.revokeGrant(DEMO.accountId);
    await stack.dataSource.query(`UPDATE kommo_account SET token_expires_at = now() + interval '30 seconds' WHERE id = $1`, [DEMO.accountId]);
    const client = stack.worker.get(KommoApiClient);
    await expect(client.request(DEMO.accountId, { method: 'GET', path: '/api/v4/account' })).rejects.toBeInstanceOf(AccountNeedsReauthError);

    const { page, root } = await openSettings(DEMO.admin);
    const banner = root.locator('[data-kvoip="reauth-banner"]');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await text(banner)).toContain('Kommo access must be re-authorized');
    const link = banner.locator('[data-kvoip="reauth-link"]');
    expect(await link.getAttribute('href')).toBe(`${stack.apiUrl}/kommo/install`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await text(link)).toBe('Re-authorize in Kommo');
    expect(await root.locator('[data-kvoip="account-status"]').count()).toBe(0);
    await shot(page, '05-admin-needs-reauth.png');
  });

  it('has the same keys in every locale and renders the window in Spanish', async () => {
    const keys = (value: unknown, prefix = ''): string[] =>
      value && typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => keys(child, `${prefix}${key}.`))
        : [prefix.slice(0, -1)];
    const locale = (lang: string) => keys(JSON.parse(readFileSync(join(WIDGET_DIR, 'i18n', `${lang}.json`), 'utf8'))).sort();
    expect(locale('es')).toEqual(locale('en'));
    expect(locale('pt')).toEqual(locale('en'));
    const manifest = JSON.parse(readFileSync(join(WIDGET_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.widget.locale).toEqual(['en', 'es', 'pt']);

    const { page, root } = await openSettings(DEMO.admin, 'es');
    expect(await text(root.locator('.kvoip__title'))).toBe('Ajustes VoIP');
    expect(await text(root.locator('[data-kvoip="connection-state"]'))).toBe('Aún no hay ningún proveedor conectado.');
    expect(await root.innerText()).not.toContain('kvoip.');
    await shot(page, '06-admin-spanish.png');
  });

  it('RingCentral: saving creates the webhook subscription and the block shows it; "Check subscription now" re-creates a blacklisted one; a failed check is shown', async () => {
    rc.subscriptions.clear();
    const { page, root } = await openSettings(DEMO.admin);
    await chooseProvider(root, 'RingCentral');
    for (const [field, value] of Object.entries(RINGCENTRAL)) await credential(root, field).fill(value);
    await root.locator('[data-kvoip="save"]').click();
    await root.locator('[data-kvoip="save-status"]', { hasText: 'Settings saved.' }).waitFor();

    // Right after the save the block loads the status, then creates the subscription (RingCentral delivers nothing before).
    const block = root.locator('[data-kvoip="section-provider"] [data-kvoip="provider-status"]');
    const progress = block.locator('[data-kvoip="subscription-progress"]');
    const badge = block.locator('[data-kvoip="subscription-status"]');
    const fact = (name: string) => text(block.locator(`[data-kvoip="${name}"]`));
    await progress.filter({ hasText: 'Checked: Active' }).waitFor();
    expect(await text(block.locator('h4'))).toBe('Provider status');
    expect([await badge.getAttribute('data-kvoip-value'), await text(badge)]).toEqual(['active', 'Active']);
    expect(rc.subscriptions.size).toBe(1);
    const [first] = [...rc.subscriptions.values()];
    expect(await fact('subscription-id')).toBe(first.id);
    expect(await fact('subscription-expires')).toBe(await page.evaluate((iso) => new Date(iso).toLocaleString(), first.expirationTime));
    expect(await fact('subscription-recreated')).toBe('0');
    expect(await block.locator('[data-kvoip="subscription-error"]').count()).toBe(0);
    expect(await fact('call-import-none')).toBe('No import has run yet.');
    const statusCalls = async () =>
      (await hostState(page)).requests
        .filter((request) => request.url.includes('/widget/voip-connection/provider-'))
        .map((request) => `${request.method} ${request.url.replace(stack.apiUrl, '')} ${request.status}`);
    expect(await statusCalls()).toEqual(['GET /widget/voip-connection/provider-status 200', 'POST /widget/voip-connection/provider-subscription 200']);
    await shot(page, '08-admin-ringcentral-status.png');

    // RingCentral blacklists it; the admin checks now: button disabled and "Checking…" while the api works, then the new one.
    rc.subscriptions.get(first.id)!.status = 'Blacklisted';
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const checkRoute = /\/widget\/voip-connection\/provider-subscription$/;
    await page.route(checkRoute, async (route) => {
      await held; // the request still goes to the real api, only later: the busy state is observable
      await route.continue();
    });
    const button = block.locator('[data-kvoip="subscription-check"]');
    expect(await text(button)).toBe('Check subscription now');
    await button.click();
    await progress.filter({ hasText: 'Checking with RingCentral…' }).waitFor();
    expect(await button.isDisabled()).toBe(true);
    await button.click({ force: true }); // ignored while running
    release();
    await block.locator('[data-kvoip="subscription-recreated"]', { hasText: '1' }).waitFor();
    await page.unroute(checkRoute);
    expect(await text(progress)).toBe('Checked: Active');
    expect(await button.isEnabled()).toBe(true);
    expect(rc.subscriptions.size).toBe(1);
    const [second] = [...rc.subscriptions.values()];
    expect(second.id).not.toBe(first.id);
    expect(await fact('subscription-id')).toBe(second.id);
    expect(await fact('subscription-error')).toBe('re-created: RingCentral blacklisted it');
    expect((await statusCalls()).filter((call) => call.startsWith('POST'))).toHaveLength(2);

    // A manager sees the same status, without the button.
    const manager = await openSettings(DEMO.manager);
    const managerBlock = manager.root.locator('[data-kvoip="provider-status"]');
    await managerBlock.locator('[data-kvoip="subscription-status"][data-kvoip-value="active"]').waitFor();
    expect(await text(managerBlock.locator('[data-kvoip="subscription-recreated"]'))).toBe('1');
    expect(await managerBlock.locator('[data-kvoip="subscription-check"]').count()).toBe(0);
    await manager.page.close();

    // The connection is gone meanwhile: the api's 404 is shown in the block, the last known status stays, the button works again.
    await stack.dataSource.query('DELETE FROM voip_connection WHERE account_id = $1', [DEMO.accountId]);
    await button.click();
    const failure = block.locator('[data-kvoip="subscription-check-error"]');
    await failure.waitFor();
    expect(await failure.getAttribute('role')).toBe('alert');
    expect(await text(failure)).toBe('The subscription could not be checked. No VoIP connection is configured for this account');
    expect(await text(progress)).toBe('');
    expect(await button.isEnabled()).toBe(true);
    expect(await badge.getAttribute('data-kvoip-value')).toBe('active');
    await shot(page, '09-admin-ringcentral-check-failed.png');
  });

  it('Zenvia: a failed status request stays in the block (retry works); the block counts unrecognised deliveries and shows the last import, server text as text', async () => {
    const connected = await api(DEMO.admin, 'PUT', '/widget/voip-connection', { provider: 'zenvia', credentials: { accessToken: 'zenviaAccessToken_0123456789' } });
    expect(connected.status).toBe(200);
    const delivery = await fetch(connected.body.connection.webhookUrls.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(zenviaFixture('unknown-status.json')),
    });
    expect(await delivery.json()).toEqual({ received: true, recognised: false, duplicate: false });
    const connection = (await stack.api.get<VoipConnectionRepository>(VOIP_CONNECTION_REPOSITORY).findForAccount(DEMO.accountId))!;
    const hostile = '<img src=x onerror="window.__kvoipInjected=1">Zenvia answered <b>503</b>';
    const lastRunAt = new Date('2025-03-04T05:06:07Z');
    await stack.api.get<CallImportStateRepository>(PROVIDER_STATE_REPOSITORY).save({
      connectionId: connection.id,
      accountId: DEMO.accountId,
      importedUntil: new Date('2025-03-04T05:00:00Z'),
      lastRunAt,
      lastReport: { connectionId: connection.id, accountId: DEMO.accountId, provider: 'zenvia', since: '2025-03-04T04:00:00Z', until: '2025-03-04T05:00:00Z', seen: 7, backfilled: 2, recordingsBackfilled: 1, alreadyKnown: 4, inProgress: 1, backfilledCallIds: ['1', '2'] },
      lastError: hostile,
    });

    // The status request fails (network): the block says so, the rest of the window works.
    const statusRoute = /\/widget\/voip-connection\/provider-status/;
    await context.route(statusRoute, (route) => route.abort());
    const { page, root } = await openSettings(DEMO.admin);
    const block = root.locator('[data-kvoip="provider-status"]');
    const failure = block.locator('[data-kvoip="provider-status-error"]');
    await failure.waitFor();
    expect(await failure.getAttribute('role')).toBe('alert');
    expect(await text(failure.locator('p'))).toBe('The provider status could not be loaded. The integration server could not be reached. Check the server URL and try again.');
    expect(await text(root.locator('[data-kvoip="connection-state"]'))).toMatch(/^Connected: Zenvia/);
    expect(await root.locator('[data-kvoip="webhooks"] input').inputValue()).toBe(connected.body.connection.webhookUrls.webhookUrl);
    expect(await root.locator('[data-kvoip="save"]').isEnabled()).toBe(true);
    await context.unroute(statusRoute);

    await failure.locator('[data-kvoip="provider-status-retry"]').click();
    const fact = (name: string) => text(block.locator(`[data-kvoip="${name}"]`));
    await block.locator('[data-kvoip="unrecognised-count"]').waitFor();
    expect(await fact('unrecognised-count')).toBe('1');
    expect(await fact('unrecognised-hint')).toBe(
      "Zenvia sent 1 call update(s) with a status this integration does not know. They were kept as received and not logged in Kommo: please report them to your integration's administrator.",
    );
    expect(await fact('call-import-last-run')).toBe(await page.evaluate((iso) => new Date(iso).toLocaleString(), lastRunAt.toISOString()));
    expect(await fact('call-import-report')).toBe('7 calls in the call log, 2 missing calls added, 1 recordings added, 4 already logged, 1 still in progress');
    expect(await fact('call-import-interval')).toBe('only on demand (automatic import is off)'); // CALL_HISTORY_IMPORT_INTERVAL_MINUTES=0 in tests
    // The server's text is shown as text: no element made of it, no script run.
    expect(await block.locator('[data-kvoip="call-import-error"]').evaluate((node) => node.textContent)).toBe(hostile);
    expect(await block.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __kvoipInjected?: number }).__kvoipInjected)).toBeUndefined();
    // Not RingCentral: no subscription part, no button.
    expect(await block.locator('[data-kvoip="subscription"], [data-kvoip="subscription-check"]').count()).toBe(0);
    expect(await root.innerText()).not.toContain('kvoip.');
    await shot(page, '10-admin-zenvia-status.png');
  });
});
