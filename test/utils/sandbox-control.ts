/** Typed client of the Kommo sandbox's control plane (`/_sandbox`, test mode only). */
export class SandboxControl {
  constructor(readonly url: string) {}

  async call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  reset(seed: unknown = 'demo') {
    return this.call('POST', '/reset', { seed });
  }

  /** The URL Kommo redirects the browser to after "Allow" (code, referer, state, client_id). */
  async authorize(input: { accountId: number; userId?: number; state?: string }): Promise<string> {
    return (await this.call<{ location: string }>('POST', '/oauth/authorize', input)).location;
  }

  widgetInstall(accountId: number) {
    return this.call<{ status: number | null }>('POST', `/accounts/${accountId}/widget-install`, {});
  }

  uninstall(accountId: number, signature?: string) {
    return this.call<{ status: number | null }>('POST', `/accounts/${accountId}/uninstall`, signature ? { signature } : {});
  }

  async jwt(accountId: number, userId: number, extra: Record<string, unknown> = {}): Promise<string> {
    return (await this.call<{ token: string }>('POST', `/accounts/${accountId}/jwt`, { userId, ...extra })).token;
  }

  oauthHistory(accountId: number) {
    return this.call<{ tokenRequests: { grantType: string; outcome: string }[]; counts: Record<string, number> }>(
      'GET',
      `/accounts/${accountId}/oauth`,
    );
  }

  expireAccessTokens(accountId: number) {
    return this.call('POST', `/accounts/${accountId}/oauth/expire-access-tokens`, {});
  }

  revokeGrant(accountId: number) {
    return this.call('POST', `/accounts/${accountId}/oauth/revoke`, {});
  }

  fault(fault: Record<string, unknown>) {
    return this.call('POST', '/faults', fault);
  }

  clearFaults() {
    return this.call('DELETE', '/faults');
  }
}
