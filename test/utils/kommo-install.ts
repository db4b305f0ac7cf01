import { TestStack } from './test-stack';

/** Starts an install on our api and returns the one-time state it sent to Kommo's authorization page. */
export async function startInstall(stack: TestStack): Promise<{ state: string; location: URL }> {
  const response = await fetch(`${stack.apiUrl}/kommo/install`, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`install start answered ${response.status}`);
  const location = new URL(response.headers.get('location')!);
  return { state: location.searchParams.get('state')!, location };
}

/** Follows Kommo's redirect (as the browser would) to our callback. */
export async function followToCallback(location: string): Promise<{ status: number; body: string }> {
  const response = await fetch(location, { redirect: 'manual' });
  return { status: response.status, body: await response.text() };
}

/** The whole button flow: install start → "Allow" in the sandbox → our callback. */
export async function installAccount(stack: TestStack, accountId: number, userId?: number): Promise<void> {
  const { state } = await startInstall(stack);
  const location = await stack.sandbox.authorize({ accountId, userId, state });
  const result = await followToCallback(location);
  if (result.status !== 200) throw new Error(`install of ${accountId} failed: ${result.status} ${result.body}`);
}

/**
 * A clean slate for a test: no jobs, empty tables, the sandbox's demo seed (faults cleared), and these accounts
 * installed through the real button flow.
 */
export async function freshInstall(stack: TestStack, accountIds: readonly number[]): Promise<void> {
  await stack.resetState();
  await stack.sandbox.reset('demo');
  for (const accountId of accountIds) await installAccount(stack, accountId);
}
