import { Browser, chromium } from 'playwright-core';
import { startTestStack, TestStack } from '../utils/test-stack';
import { startWidgetHost, WidgetHost } from './widget-host.server';

/** Debian's Chromium, headless, with the flags this machine kind needs (no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WidgetBrowserStack {
  readonly stack: TestStack;
  readonly host: WidgetHost;
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * The product (sandbox + api + worker on real PostgreSQL/Redis), the Kommo host harness serving the built
 * widget.zip (its JWTs minted by the sandbox, its origin allowed by the api's CORS) and a browser.
 */
export async function startWidgetBrowserStack(): Promise<WidgetBrowserStack> {
  let running: TestStack | null = null;
  const host = await startWidgetHost({
    mintJwt: (accountId, userId) => {
      if (!running) throw new Error('stack not started');
      return running.sandbox.jwt(accountId, userId);
    },
  });
  const stack = (running = await startTestStack({ env: { CORS_EXTRA_ORIGINS: host.origin } }));
  const browser = await launchChromium();
  return {
    stack,
    host,
    browser,
    async close() {
      await browser.close();
      await stack.close();
      await host.close();
    },
  };
}

/** A widget API request as a Kommo user (the sandbox mints the user's JWT); the answer's JSON, null when none. */
export async function widgetApi(stack: TestStack, accountId: number, userId: number, method: string, path: string, body?: unknown) {
  const token = await stack.sandbox.jwt(accountId, userId);
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON answers
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, any> };
}
