import { KommoClientConfig } from './kommo-client.config';
import { KommoApiError } from './kommo.errors';

export interface KommoResponse {
  readonly status: number;
  /** Parsed JSON body, or null for an empty/non-JSON body. */
  readonly body: unknown;
}

/**
 * Raw HTTP to one Kommo account host. Every URL is derived from the account host, unless the
 * configured override sends everything to a Kommo-compatible server (the sandbox).
 * Never logs: bodies and headers carry secrets.
 */
export class KommoHttp {
  constructor(private readonly config: KommoClientConfig) {}

  urlFor(host: string, path: string): string {
    const base = this.config.apiBaseUrlOverride ?? `https://${host}`;
    return `${base.replace(/\/+$/, '')}${path}`;
  }

  async send(
    host: string,
    request: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string; body?: unknown; accessToken?: string },
  ): Promise<KommoResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.accessToken) headers.authorization = `Bearer ${request.accessToken}`;
    if (this.config.apiBaseUrlOverride) headers['x-forwarded-host'] = host;

    let response: Response;
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
      throw new KommoApiError(null, reason, true);
    }
    const text = await response.text();
    return { status: response.status, body: parseJson(text) };
  }
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
