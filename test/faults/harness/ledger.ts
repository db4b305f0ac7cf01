import { randomBytes } from 'node:crypto';
import { ACCOUNTS, Product } from './product';
import { sleep } from './processes';

/**
 * quality.md §6.5 ledgers. ACKED: every call whose terminal callback we answered 2xx (what the provider
 * believes we have). RECORDED: every call the Kommo sandbox stored (key: `uniq` = our call id, mapped back to
 * the provider's CallSid through our call legs).
 */
export class Ledger {
  /** CallSid → account of every acked terminal callback. */
  readonly acked = new Map<string, number>();
  /** Terminal deliveries answered non-2xx or not at all (each a potential loss at Twilio, which does not retry). */
  nonAcked = 0;
  readonly ackMs: number[] = [];
  private sequence = 0;
  private readonly run = randomBytes(6).toString('hex');

  newCallSid(): string {
    this.sequence += 1;
    return `CA${this.run}${this.sequence.toString(16).padStart(20, '0')}`;
  }

  /**
   * One call ends: Twilio's terminal status callback (completed, 30 s), from a number the account's Kommo knows.
   * `retries`: like Twilio with connection overrides (`#rc=…&rp=…`), a refused delivery is sent again after 1 s.
   */
  async endCall(product: Product, accountId: number, from: string, retries = 0): Promise<void> {
    const callSid = this.newCallSid();
    const params = {
      AccountSid: product.twilio.accountSid,
      CallSid: callSid,
      CallStatus: 'completed',
      CallDuration: '30',
      Direction: 'inbound',
      From: from,
      To: '+14155550199',
      SequenceNumber: '2',
    };
    for (let attempt = 0; ; attempt += 1) {
      const started = performance.now();
      const status = await product.postStatus(accountId, params);
      this.ackMs.push(performance.now() - started);
      if (status >= 200 && status < 300) {
        this.acked.set(callSid, accountId);
        return;
      }
      this.nonAcked += 1;
      if (attempt >= retries) return;
      await sleep(1000);
    }
  }

  /** p99 of the ack latencies in ms. */
  ackP99(): number {
    const sorted = [...this.ackMs].sort((a, b) => a - b);
    return sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]);
  }
}

/** `perSecond` calls per second for `durationMs`, spread over the accounts and their known callers; resolves when all were answered. */
export async function generateLoad(
  product: Product,
  ledger: Ledger,
  options: { perSecond: number; durationMs: number; accounts?: readonly number[]; retries?: number },
): Promise<void> {
  const accounts = ACCOUNTS.filter((account) => !options.accounts || options.accounts.includes(account.id));
  const inFlight: Promise<void>[] = [];
  const total = Math.round((options.perSecond * options.durationMs) / 1000);
  const started = Date.now();
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / options.perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const account = accounts[index % accounts.length];
    inFlight.push(ledger.endCall(product, account.id, account.callers[Math.floor(index / accounts.length) % account.callers.length], options.retries ?? 0));
  }
  await Promise.all(inFlight);
}

export interface Verdict {
  readonly acked: number;
  readonly nonAcked: number;
  readonly recorded: number;
  readonly lost: number;
  readonly dup: number;
  readonly phantom: number;
  /** From the end of the fault until every acked call was recorded and the queues were empty (ms), null if never. */
  readonly ttrMs: number | null;
  /** From the end of the fault until every acked call was recorded and the webhook spool was empty (ms), null if never. */
  readonly recordedMs: number | null;
  readonly ackP99Ms: number;
}

/** The sandbox's call records: count per `uniq` (our call id) and the CallSids each one answers to. */
async function recordedCalls(product: Product): Promise<{ counts: Map<string, number>; sidsOf: Map<string, string[]>; uniqsBySid: Set<string> }> {
  const counts = new Map<string, number>();
  for (const account of ACCOUNTS) {
    const { calls } = await product.sandbox.call<{ calls: { uniq?: string | null }[] }>('GET', `/accounts/${account.id}/calls`);
    for (const call of calls) counts.set(call.uniq ?? '(none)', (counts.get(call.uniq ?? '(none)') ?? 0) + 1);
  }
  const legs = await product.query<{ call_id: string; provider_call_id: string }>('SELECT call_id, provider_call_id FROM call_leg WHERE call_id = ANY($1)', [[...counts.keys()]]);
  const sidsOf = new Map<string, string[]>();
  for (const leg of legs) sidsOf.set(leg.call_id, [...(sidsOf.get(leg.call_id) ?? []), leg.provider_call_id]);
  return { counts, sidsOf, uniqsBySid: new Set(legs.map((leg) => leg.provider_call_id)) };
}

/** LOST, DUP, PHANTOM as defined in quality.md §6.5, from the sandbox's records and our call legs. */
export async function tally(product: Product, ledger: Ledger): Promise<Pick<Verdict, 'recorded' | 'lost' | 'dup' | 'phantom'>> {
  const { counts, sidsOf, uniqsBySid } = await recordedCalls(product);
  let dup = 0;
  let phantom = 0;
  let recorded = 0;
  for (const [uniq, count] of counts) {
    recorded += count;
    dup += count - 1;
    if (!(sidsOf.get(uniq) ?? []).some((sid) => ledger.acked.has(sid))) phantom += 1;
  }
  const lost = [...ledger.acked.keys()].filter((sid) => !uniqsBySid.has(sid)).length;
  return { recorded, lost, dup, phantom };
}

/**
 * Waits for quiescence (every acked call recorded, no job waiting, running or delayed, and the webhook spool empty;
 * or `timeoutMs`), then
 * tallies. TTR counts from `faultEndedAt`.
 */
export async function settle(product: Product, ledger: Ledger, options: { faultEndedAt: number; timeoutMs?: number }): Promise<Verdict> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let ttrMs: number | null = null;
  let recordedMs: number | null = null;
  let result = await tally(product, ledger).catch(() => null);
  while (Date.now() < deadline) {
    const spoolEmpty = result !== null && result.lost === 0 && (await product.spooled()) === 0;
    if (spoolEmpty && recordedMs === null) recordedMs = Math.max(0, Date.now() - options.faultEndedAt);
    if (spoolEmpty && (await product.pendingJobs()) === 0) {
      ttrMs = Math.max(0, Date.now() - options.faultEndedAt);
      break;
    }
    await sleep(250);
    result = await tally(product, ledger).catch(() => null);
  }
  // A moment more: a late duplicate (a second POST of a call already stored) would show up now.
  await sleep(1000);
  const final = await tally(product, ledger);
  return { acked: ledger.acked.size, nonAcked: ledger.nonAcked, ...final, ttrMs, recordedMs, ackP99Ms: ledger.ackP99() };
}

/** Where lost calls are stuck (printed when LOST > 0): their inbox row, our call and its ledger, failed jobs. */
export async function diagnose(product: Product, ledger: Ledger): Promise<string> {
  const { uniqsBySid } = await recordedCalls(product);
  const lost = [...ledger.acked.keys()].filter((sid) => !uniqsBySid.has(sid));
  const lines: string[] = [];
  for (const sid of lost.slice(0, 5)) {
    const inbox = await product.query("SELECT id, enqueued_at FROM call_webhook_inbox WHERE payload->>'CallSid' = $1", [sid]);
    const call = await product.query('SELECT c.id, c.snapshot FROM call c JOIN call_leg l ON l.call_id = c.id WHERE l.provider_call_id = $1', [sid]);
    lines.push(`${sid}: inbox ${JSON.stringify(inbox)}; call ${JSON.stringify(call).slice(0, 800)}`);
  }
  lines.push(`failed jobs: ${JSON.stringify(await product.failedJobs()).slice(0, 1500)}`);
  lines.push(`unfinished jobs (now ${Date.now()}): ${(await product.unfinishedJobs()).join('; ')}`);
  return lines.join('\n');
}
