import { CallDirection, Clock, e164, KommoAccessTokens, KommoAccount, KommoCallRecord, KommoCallStatus } from '@app/domain';
import { InMemoryDistributedLock, InMemoryKommoAccountRepository } from '../../../../domain/test/fakes';
import { KommoClientConfig } from '../../kommo-client.config';
import { KommoHttp } from '../../kommo-http';
import { KommoOAuthClient } from '../../kommo-oauth.client';
import { KommoRateLimiter } from '../../kommo-rate-limiter';

/**
 * Test-only wiring of the Kommo call adapters' dependencies against a running Kommo sandbox (started by the
 * spec with `startKommoSandbox`; this file must not import apps/). Real KommoHttp, real OAuth code exchange,
 * real KommoAccessTokens on in-memory fakes, and a small in-process limiter that keeps under the sandbox's 7 req/s.
 */
export const SANDBOX_INTEGRATION = {
  clientId: 'c0ffee00-1111-4222-8333-444455556666',
  clientSecret: 'calls-int-spec-secret-0123456789abcdef',
  redirectUri: 'https://integration.test/kommo/oauth/callback',
} as const;

const REAL_CLOCK: Clock = { now: () => new Date() };

/** At most `limit` permits per `windowMs` per host (sliding window), in this process. */
export class InProcessRateLimiter implements KommoRateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly limit = 6,
    private readonly windowMs = 1100,
  ) {}

  async tryAcquire(host: string): Promise<number> {
    const now = Date.now();
    const recent = (this.sent.get(host) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.sent.set(host, recent);
      return recent[0] + this.windowMs - now + 1;
    }
    recent.push(now);
    this.sent.set(host, recent);
    return 0;
  }
}

export class KommoSandboxHarness {
  readonly config: KommoClientConfig;
  readonly http: KommoHttp;
  readonly accounts = new InMemoryKommoAccountRepository();
  readonly tokens: KommoAccessTokens;
  private readonly oauth: KommoOAuthClient;

  constructor(
    readonly sandboxUrl: string,
    options: { requestTimeoutMs?: number } = {},
  ) {
    this.config = {
      clientId: SANDBOX_INTEGRATION.clientId,
      clientSecret: SANDBOX_INTEGRATION.clientSecret,
      redirectUri: SANDBOX_INTEGRATION.redirectUri,
      accountDomains: ['kommo.com'],
      apiBaseUrlOverride: sandboxUrl,
      authorizationUrl: `${sandboxUrl}/oauth`,
      requestTimeoutMs: options.requestTimeoutMs ?? 1500,
    };
    // No in-place 429 retries: a 429 reaches the adapter at once (production retries a couple of times first).
    this.http = new KommoHttp(this.config, { limiter: new InProcessRateLimiter(), maxPermitWaitMs: 10_000, retriesOn429: 0, backoffOn429Ms: 50 });
    this.oauth = new KommoOAuthClient(this.http, this.config);
    this.tokens = new KommoAccessTokens(this.accounts, this.oauth, new InMemoryDistributedLock(), REAL_CLOCK, {
      refreshMarginMs: 60_000,
      lockTtlMs: 5_000,
      lockWaitMs: 5_000,
    });
  }

  /** Reloads the seed (this also wipes the sandbox's grants, faults and limits) and installs the accounts. */
  async reset(accounts: readonly { id: number; subdomain: string; host: string }[], seed: unknown = 'demo'): Promise<void> {
    await this.control('POST', '/reset', { seed });
    for (const account of accounts) await this.install(account);
  }

  /** "Allow" on the consent page, then our real code exchange (as the OAuth callback does). */
  async install(account: { id: number; subdomain: string; host: string }, userId?: number): Promise<void> {
    const { location } = await this.control<{ location: string }>('POST', '/oauth/authorize', { accountId: account.id, userId });
    const code = new URL(location).searchParams.get('code');
    if (!code) throw new Error(`no code in ${location}`);
    const grant = await this.oauth.exchangeAuthorizationCode(account.host, code);
    this.accounts.seed(KommoAccount.connect({ id: account.id, subdomain: account.subdomain, host: account.host, name: account.subdomain, grant, now: new Date() }));
  }

  async control<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.sandboxUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  fault(fault: Record<string, unknown>): Promise<unknown> {
    return this.control('POST', '/faults', fault);
  }

  /** The notes the sandbox holds for one entity (state inspection, not the Kommo API). */
  notes(accountId: number, entityType: 'leads' | 'contacts' | 'companies', entityId: number): Promise<unknown> {
    return this.control('GET', `/accounts/${accountId}/notes?entityType=${entityType}&entityId=${entityId}`);
  }
}

let sequence = 0;

/** A finished call as the domain hands it to the adapters (answered inbound call with a recording by default). */
export function callRecord(phone: string, overrides: Partial<Omit<KommoCallRecord, 'phone'>> = {}): KommoCallRecord {
  sequence += 1;
  return {
    uniq: `call-${Date.now().toString(36)}-${sequence}`,
    direction: CallDirection.Inbound,
    phone: e164(phone),
    source: 'twilio',
    fields: { callStatus: KommoCallStatus.ConversationTookPlace, durationSeconds: 42, hasRecording: true, callResult: null },
    recordingLink: `https://voip.example.test/recordings/${sequence}.mp3?sig=abc`,
    responsibleUserId: null,
    startedAt: new Date('2026-01-15T10:00:00Z'),
    ...overrides,
  };
}
