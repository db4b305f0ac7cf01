import { Injectable } from '@nestjs/common';
import { SandboxStore } from '../store/sandbox-store';

export const FAULT_KINDS = ['status', 'rate429', '5xx', 'latency', 'batch504', 'hang', 'commit-then-drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultBody = 'json' | 'html' | 'empty';

export interface Fault {
  id: number;
  accountId: number | null;
  /** `METHOD /path`; `*` matches any characters (e.g. `POST /api/v4/*`, `* /api/v4/calls`). */
  endpoint: string;
  kind: FaultKind;
  status: number;
  /** Remaining firings; null = unlimited. */
  remaining: number | null;
  /** Probability (0..1) that a matching request is hit. */
  rate: number;
  body: FaultBody;
  ms: number;
  maxItems: number;
  fired: number;
}

export interface FaultInput {
  accountId?: number;
  endpoint?: string;
  kind?: string;
  status?: number;
  count?: number;
  rate?: number;
  body?: string;
  ms?: number;
  maxItems?: number;
}

/** Fault injection per account and endpoint. */
@Injectable()
export class FaultService {
  private faults: Fault[] = [];
  private sequence = 0;

  constructor(store: SandboxStore) {
    store.onReset(() => {
      this.faults = [];
    });
  }

  add(input: FaultInput): Fault | string {
    const kind = input.kind as FaultKind;
    if (!FAULT_KINDS.includes(kind)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
    if (typeof input.endpoint !== 'string' || !/^(\*|[A-Z]+) \/\S*$/.test(input.endpoint)) return "endpoint must look like 'METHOD /path'";
    const body = (input.body ?? 'json') as FaultBody;
    if (!['json', 'html', 'empty'].includes(body)) return 'body must be json, html or empty';
    const defaultStatus: Record<FaultKind, number> = { status: 500, rate429: 429, '5xx': 500, latency: 0, batch504: 504, hang: 0, 'commit-then-drop': 0 };
    const status = input.status ?? defaultStatus[kind];
    if (kind === 'status' && (typeof input.status !== 'number' || input.status < 100 || input.status > 599)) return 'status is required (100..599)';
    if (kind === '5xx' && (status < 500 || status > 599)) return 'status must be 5xx';
    const fault: Fault = {
      id: ++this.sequence,
      accountId: typeof input.accountId === 'number' ? input.accountId : null,
      endpoint: input.endpoint,
      kind,
      status,
      remaining: typeof input.count === 'number' ? input.count : kind === 'status' ? 1 : null,
      rate: typeof input.rate === 'number' ? Math.max(0, Math.min(1, input.rate)) : 1,
      body,
      ms: input.ms ?? 1000,
      maxItems: input.maxItems ?? 50,
      fired: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return [...this.faults];
  }

  /** Faults that fire for this request (consumes their counts), in the order they were added. */
  take(accountId: number | null, method: string, path: string, itemCount: number | null): Fault[] {
    const fired: Fault[] = [];
    for (const fault of this.faults) {
      if (fault.accountId !== null && fault.accountId !== accountId) continue;
      if (!endpointMatches(fault.endpoint, method, path)) continue;
      if (fault.remaining !== null && fault.remaining <= 0) continue;
      if (fault.kind === 'batch504' && (itemCount === null || itemCount <= fault.maxItems)) continue;
      if (fault.rate < 1 && Math.random() >= fault.rate) continue;
      if (fault.remaining !== null) fault.remaining--;
      fault.fired++;
      fired.push(fault);
    }
    this.faults = this.faults.filter((fault) => fault.remaining === null || fault.remaining > 0);
    return fired;
  }
}

function endpointMatches(pattern: string, method: string, path: string): boolean {
  const [patternMethod, patternPath] = pattern.split(' ', 2) as [string, string];
  if (patternMethod !== '*' && patternMethod !== method) return false;
  const regex = new RegExp(`^${patternPath.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(path);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
