import { Injectable } from '@nestjs/common';
import { SandboxStore } from '../store/sandbox-store';

export interface RequestLogEntry {
  id: number;
  requestId: string;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  accountId: number | null;
  method: string;
  path: string;
  /** `METHOD /path` without the query string (the key used by faults and counts). */
  endpoint: string;
  status: number | null;
  /** Why the sandbox answered without running the handler: rate-limit, abuse-block or a fault kind. */
  reason: string | null;
  durationMs: number | null;
}

const MAX_ENTRIES = 100_000;

/** Every request to the Kommo surface (`/api`, `/oauth2`), for assertions by tests. */
@Injectable()
export class RequestLogService {
  private entries: RequestLogEntry[] = [];
  private sequence = 0;

  constructor(store: SandboxStore) {
    store.onReset(() => {
      this.entries = [];
    });
  }

  start(entry: Omit<RequestLogEntry, 'id' | 'status' | 'reason' | 'durationMs'>): RequestLogEntry {
    const full: RequestLogEntry = { ...entry, id: ++this.sequence, status: null, reason: null, durationMs: null };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return full;
  }

  list(filter: { accountId?: number; endpoint?: string; since?: number } = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.accountId === undefined || entry.accountId === filter.accountId) &&
        (filter.endpoint === undefined || entry.endpoint === filter.endpoint) &&
        (filter.since === undefined || entry.at >= filter.since),
    );
  }

  /** Requests per account and endpoint: `{ "31000001": { "GET /api/v4/account": 3 } }`. */
  counts(accountId?: number): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    for (const entry of this.list(accountId === undefined ? {} : { accountId })) {
      const key = String(entry.accountId ?? 'unknown');
      const perEndpoint = (result[key] ??= {});
      perEndpoint[entry.endpoint] = (perEndpoint[entry.endpoint] ?? 0) + 1;
    }
    return result;
  }

  /** The largest number of requests of the account that arrived within any 1000 ms window. */
  maxPerSecond(accountId: number, windowMs = 1000): { max: number; windowStart: number | null } {
    const times = this.list({ accountId }).map((entry) => entry.at).sort((a, b) => a - b);
    let max = 0;
    let windowStart: number | null = null;
    let left = 0;
    for (let right = 0; right < times.length; right++) {
      while (times[right] - times[left] >= windowMs) left++;
      if (right - left + 1 > max) {
        max = right - left + 1;
        windowStart = times[left]!;
      }
    }
    return { max, windowStart };
  }

  /** Every 429 and 403 the sandbox served. */
  refusals(accountId?: number): RequestLogEntry[] {
    return this.list(accountId === undefined ? {} : { accountId }).filter((entry) => entry.status === 429 || entry.status === 403);
  }
}
