import { KommoAccessTokens, KommoWriteNotAppliedError } from '@app/domain';
import { KommoHttp, KommoResponse, problemDetail, SEND_DEADLINE_PASSED } from '../kommo-http';
import { KommoApiClient } from '../kommo-api.client';
import { KommoApiError } from '../kommo.errors';

export type KommoMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface KommoRequest {
  readonly method: KommoMethod;
  readonly path: string;
  readonly body?: unknown;
  /** Epoch ms after which no attempt starts (see KommoHttp.send). */
  readonly sendBy?: number;
}

/**
 * A write Kommo refused as a whole, so nothing was stored (429 after our in-place retries, 401 after the one
 * refresh, 402 payment, 403 scope/abuse block, 400/404/422 for the whole request, or no request sent at all).
 * `status` lets the worker park an account on 403 / 402.
 */
export class KommoWriteRefusedError extends KommoWriteNotAppliedError {
  constructor(
    readonly status: number | null,
    readonly detail: string,
    /** Per-item reasons when Kommo named the refused items (`validation-errors`), keyed by batch index. */
    readonly itemErrors: ReadonlyMap<number, string> = new Map(),
  ) {
    super(`${status === null ? 'not sent' : `HTTP ${status}`}: ${detail}`);
  }
}

/**
 * The calls/notes/leads/tasks adapters' view of `KommoApiClient`: reads that fail as `KommoApiError`, and writes
 * whose answer comes back whatever its status (the `/calls` and `/leads/unsorted/sip` 4xx bodies carry meaning).
 */
export class KommoRawApiClient {
  private readonly client: KommoApiClient;

  constructor(http: KommoHttp, tokens: KommoAccessTokens) {
    this.client = new KommoApiClient(http, tokens);
  }

  /** Any status; throws only `KommoApiError` with `status: null` (network / our rate-limiter) or token errors. */
  send(accountId: number, request: KommoRequest): Promise<KommoResponse> {
    return this.client.send(accountId, request);
  }

  /** A read: 2xx answers (204 = empty), anything else as `KommoApiError`. */
  async read(accountId: number, request: KommoRequest): Promise<KommoResponse> {
    const response = await this.send(accountId, request);
    if (response.status >= 400) throw apiErrorOf(response);
    return response;
  }

  /**
   * A write whose answer is returned whatever its status (the caller maps the 2xx and 4xx bodies it
   * understands and calls `writeFailure` for the rest). A transport failure is classified here.
   */
  async write(accountId: number, request: KommoRequest): Promise<KommoResponse> {
    try {
      return await this.send(accountId, request);
    } catch (error) {
      throw writeTransportFailure(error);
    }
  }
}

export function apiErrorOf(response: KommoResponse): KommoApiError {
  const retryable = response.status === 429 || response.status >= 500;
  return new KommoApiError(response.status, problemDetail(response.body, `HTTP ${response.status}`), retryable);
}

/**
 * The error for a write answered with a status we do not map. Sure-not-stored (→ `KommoWriteRefusedError`, a
 * `KommoWriteNotAppliedError`): every 4xx but 408 — Kommo checks rights, limits and the whole body before it
 * stores anything. Everything else (5xx, 504, 408, an unexpected 2xx/3xx) may have been stored: a
 * `KommoApiError`, which the domain treats as ambiguous and reconciles before any resend.
 */
export function writeFailure(response: KommoResponse): Error {
  const detail = problemDetail(response.body, `HTTP ${response.status}`);
  if (response.status >= 400 && response.status < 500 && response.status !== 408) {
    return new KommoWriteRefusedError(response.status, detail, validationItemErrors(response.body));
  }
  return new KommoApiError(response.status, detail, true);
}

/**
 * Transport failures of a write. `KommoHttp` fails before sending only when no rate-limit permit came (or the
 * limiter is down): nothing sent → not applied. A timeout or a failed/dropped connection may have reached Kommo:
 * ambiguous. (KommoHttp reports a refused connection as "connection failed" too, so it is treated as ambiguous:
 * costs one reconciliation read, never a duplicate.)
 */
export function writeTransportFailure(error: unknown): unknown {
  if (error instanceof KommoApiError && error.status === null && NOT_SENT_DETAILS.some((prefix) => error.detail.startsWith(prefix))) {
    return new KommoWriteRefusedError(null, error.detail);
  }
  return error;
}

/** Details `KommoHttp` gives to failures that happen before any byte is sent (see kommo-http.ts `permit`). */
const NOT_SENT_DETAILS = ['our Kommo request budget for this account is exhausted', 'rate limiter unavailable', SEND_DEADLINE_PASSED];

/** `validation-errors[{request_id, errors[{code, path, detail}]}]` → batch index → "path: detail; …". */
export function validationItemErrors(body: unknown): Map<number, string> {
  const out = new Map<number, string>();
  const groups = asRecord(body)?.['validation-errors'];
  if (!Array.isArray(groups)) return out;
  for (const group of groups) {
    const record = asRecord(group);
    const index = Number(record?.request_id);
    if (!record || !Number.isInteger(index)) continue;
    const errors = Array.isArray(record.errors) ? record.errors : [];
    const text = errors
      .map((raw) => asRecord(raw))
      .filter((raw): raw is Record<string, unknown> => raw !== null)
      .map((raw) => `${textOf(raw.path, '')}: ${textOf(raw.detail, textOf(raw.code, 'invalid'))}`)
      .join('; ');
    out.set(index, text || 'invalid');
  }
  return out;
}

/** Follows Kommo pagination: `page` + `limit` until 204, an empty page, or no `_links.next`. */
export async function readAllPages<T>(
  api: KommoRawApiClient,
  accountId: number,
  path: string,
  key: string,
  options: { limit?: number; maxPages?: number } = {},
): Promise<T[]> {
  const maxPages = options.maxPages ?? 40;
  const { items, complete } = await readPages<T>(api, accountId, path, key, { ...options, maxPages });
  // A partial answer would read as "not there" (and lead to a duplicate write): fail instead.
  if (!complete) throw new KommoApiError(null, `more than ${maxPages} pages of ${key} at ${path}`, false);
  return items;
}

/** Up to `maxPages` pages of a list; `complete` says whether the list ended within them. */
export async function readPages<T>(
  api: KommoRawApiClient,
  accountId: number,
  path: string,
  key: string,
  options: { limit?: number; maxPages: number },
): Promise<{ items: T[]; complete: boolean }> {
  const limit = options.limit ?? 250;
  const items: T[] = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const response = await api.read(accountId, { method: 'GET', path: `${path}${separator}limit=${limit}&page=${page}` });
    if (response.status === 204 || response.body === null) return { items, complete: true };
    const body = asRecord(response.body);
    const list = asRecord(body?._embedded)?.[key];
    if (!Array.isArray(list)) throw new KommoApiError(response.status, `list without _embedded.${key}`, false);
    items.push(...(list as T[]));
    if (!asRecord(body?._links)?.next || list.length < limit) return { items, complete: true };
    if (page >= options.maxPages) return { items, complete: false };
  }
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function textOf(value: unknown, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}
