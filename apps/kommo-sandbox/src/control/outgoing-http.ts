/** A GET Kommo sends to the integration (install webhook, uninstall hook): no retry; null when unreachable. */
export async function sendGet(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<number | null> {
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', headers, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  } catch {
    return null;
  }
}

/** An account webhook (form-encoded, 2 s). */
export async function sendForm(url: string, body: string, timeoutMs: number): Promise<number | null> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'amoCRM-Webhooks/3.0' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  } catch {
    return null;
  }
}
