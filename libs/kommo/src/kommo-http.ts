import { KommoClientConfig } from './kommo-client.config';
import { KommoRateLimiter, KommoRateLimitWaitExceededError, acquireKommoPermit, sleep } from './kommo-rate-limiter';
import { KommoApiError } from './kommo.errors';

export interface KommoHttpPacing {
  readonly limiter: KommoRateLimiter;
  /** Longest a request waits for a permit before failing (retryable). */
  readonly maxPermitWaitMs: number;
  /** How many times a 429 is retried in place (after a pause) before it is reported. */
  readonly retriesOn429: number;
  /** Pause before the first in-place retry of a 429 (doubled each time; Retry-After wins when given). */
  readonly backoffOn429Ms: number;
}

/** What one HTTP exchange with Kommo looked like (for metrics; never bodies or headers: they carry secrets). */
export interface KommoHttpExchange {
  readonly method: string;
  /** The path without query, numbers replaced by `:id` (bounded label cardinality). */
  readonly endpoint: string;
  /** null: no answer (timeout, connection failed). */
  readonly status: number | null;
  readonly durationMs: number;
  /** `grant_type` of a token request (`refresh_token`, `authorization_code`), else null. */
  readonly grant: string | null;
  /** Entities in the request body when it is a list (a batch), else null. */
  readonly items: number | null;
}

const exchangeListeners = new Set<(exchange: KommoHttpExchange) => void>();

/** Observes every Kommo HTTP exchange of this process (metrics). Returns the unsubscribe function. */
export function onKommoHttpExchange(listener: (exchange: KommoHttpExchange) => void): () => void {
  exchangeListeners.add(listener);
  return () => exchangeListeners.delete(listener);
}

function report(request: { method: string; path: string; body?: unknown }, status: number | null, startedAt: number): void {
  if (exchangeListeners.size === 0) return;
  const grant = (request.body as { grant_type?: unknown } | undefined)?.grant_type;
  const exchange: KommoHttpExchange = {
    method: request.method,
    endpoint: request.path.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/:id'),
    status,
    durationMs: Date.now() - startedAt,
    grant: typeof grant === 'string' ? grant : null,
    items: Array.isArray(request.body) ? request.body.length : null,
  };
  for (const listener of exchangeListeners) {
    try {
      listener(exchange);
    } catch {
      // an observer never breaks a Kommo request
    }
  }
}

export interface KommoResponse {
  readonly status: number;
  /** Parsed JSON body, or null for an empty/non-JSON body. */
  readonly body: unknown;
}

/** Failure detail of a request whose send deadline passed before it was sent (nothing reached Kommo). */
export const SEND_DEADLINE_PASSED = 'send deadline passed before the request was sent';

/**
 * Raw HTTP to one Kommo account host. Every URL is derived from the account host, unless the
 * configured override sends everything to a Kommo-compatible server (the sandbox).
 * Never logs: bodies and headers carry secrets.
 */
export class KommoHttp {
  constructor(
    private readonly config: KommoClientConfig,
    private readonly pacing: KommoHttpPacing | null = null,
  ) {}

  urlFor(host: string, path: string): string {
    const base = this.config.apiBaseUrlOverride ?? `https://${host}`;
    return `${base.replace(/\/+$/, '')}${path}`;
  }

  /**
   * `sendBy` (epoch ms): no attempt starts after it — the request fails as not sent instead (a write claimed in
   * the ledger must be sent within its window, or a dead-looking claim could be written twice).
   */
  async send(
    host: string,
    request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; accessToken?: string; sendBy?: number },
  ): Promise<KommoResponse> {
    for (let attempt = 0; ; attempt += 1) {
      await this.permit(host, request.sendBy);
      if (request.sendBy !== undefined && Date.now() > request.sendBy) throw new KommoApiError(null, SEND_DEADLINE_PASSED, true);
      const response = await this.sendOnce(host, request);
      if (response.status !== 429 || !this.pacing || attempt >= this.pacing.retriesOn429) return response;
      await sleep(response.retryAfterMs ?? this.pacing.backoffOn429Ms * 2 ** attempt);
    }
  }

  private async permit(host: string, sendBy: number | undefined): Promise<void> {
    if (!this.pacing) return;
    const waitMs = sendBy === undefined ? this.pacing.maxPermitWaitMs : Math.min(this.pacing.maxPermitWaitMs, sendBy - Date.now());
    if (waitMs <= 0) throw new KommoApiError(null, SEND_DEADLINE_PASSED, true);
    try {
      await acquireKommoPermit(this.pacing.limiter, host, waitMs);
    } catch (error) {
      if (error instanceof KommoRateLimitWaitExceededError) throw new KommoApiError(null, 'our Kommo request budget for this account is exhausted; try later', true);
      throw new KommoApiError(null, 'rate limiter unavailable', true);
    }
  }

  private async sendOnce(
    host: string,
    request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; accessToken?: string },
  ): Promise<KommoResponse & { retryAfterMs: number | null }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.accessToken) headers.authorization = `Bearer ${request.accessToken}`;
    if (this.config.apiBaseUrlOverride) headers['x-forwarded-host'] = host;

    let response: Response;
    const startedAt = Date.now();
    try {
      response = await fetch(this.urlFor(host, request.path), {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.requestTimeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'connection failed';
      report(request, null, startedAt);
      throw new KommoApiError(null, reason, true);
    }
    const text = await response.text();
    report(request, response.status, startedAt);
    return { status: response.status, body: parseJson(text), retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  }
}

/** Retry-After in seconds (capped at 5 s: longer waits belong to the job queue, not to a request in flight). */
function retryAfterMs(header: string | null): number | null {
  if (!header || !/^\d+$/.test(header.trim())) return null;
  return Math.min(Number(header.trim()) * 1000, 5000);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // Kommo sometimes answers HTML (e.g. 429 pages): treat as no body.
  }
}

/** The human part of a Kommo problem+json body, if any. */
export function problemDetail(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const parts = [record.hint, record.detail, record.title].filter((part) => typeof part === 'string');
    if (parts.length > 0) return String(parts[0]);
  }
  return fallback;
}
