import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../utils/free-port';
import { diagnose, generateLoad, Ledger, settle, Verdict } from './harness/ledger';
import { PostgresCluster, RedisServer, sleep } from './harness/processes';
import { ACCOUNTS, Product } from './harness/product';

/**
 * Fault suite (quality.md §6.5): the product as real processes (built dist: sandbox, api, 2 workers) on a Redis
 * and a PostgreSQL that this suite starts on its own ports and may kill. Every scenario checks the ledgers:
 * LOST = acked but never in Kommo, DUP = in Kommo more than once, PHANTOM = in Kommo but never acked, all 0;
 * and prints the time to recover (TTR: end of the fault → everything recorded, queues empty).
 */

/**
 * FAULTS_SUBSET=ci (scripts/test.sh) leaves out the slowest scenario, about a minute: F9 (block, parked work,
 * re-authorisation); it is also covered in-process by test/e2e. `npm run test:faults` runs everything.
 */
const FULL = process.env.FAULTS_SUBSET !== 'ci';
const itFull = FULL ? it : null;

const LOG_DIR = join(__dirname, '..', '..', 'test-artifacts', 'faults');
const results: { scenario: string; verdict: Verdict; extra: string }[] = [];

function report(name: string, verdict: Verdict, extra = ''): void {
  results.push({ scenario: name, verdict, extra });
  const ttr = verdict.ttrMs === null ? 'never' : `${(verdict.ttrMs / 1000).toFixed(1)} s`;
  const recorded = verdict.recordedMs === null ? 'never' : `${(verdict.recordedMs / 1000).toFixed(1)} s`;
  process.stdout.write(
    `[faults] ${name}: acked ${verdict.acked}, non-2xx ${verdict.nonAcked}, recorded ${verdict.recorded} | LOST ${verdict.lost} DUP ${verdict.dup} PHANTOM ${verdict.phantom} | all recorded after ${recorded}, TTR ${ttr} | ack p99 ${verdict.ackP99Ms} ms${extra ? ` | ${extra}` : ''}\n`,
  );
}

async function expectClean(verdict: Verdict, product: Product, ledger: Ledger): Promise<void> {
  if (verdict.lost > 0 || verdict.ttrMs === null) process.stdout.write(`[faults] lost calls:\n${await diagnose(product, ledger)}\n`);
  expect({ lost: verdict.lost, dup: verdict.dup, phantom: verdict.phantom }).toEqual({ lost: 0, dup: 0, phantom: 0 });
  expect(verdict.acked).toBeGreaterThan(0);
  expect(verdict.ttrMs).not.toBeNull();
}

/** kommo_voip_jobs_stalled_total summed over the workers' /metrics. */
async function stalledJobsCounted(product: Product): Promise<number> {
  let total = 0;
  for (const url of product.workerHealthUrls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const match of text.matchAll(/^kommo_voip_jobs_stalled_total(?:\{[^}]*\})? (\d+(?:\.\d+)?)$/gm)) total += Number(match[1]);
  }
  return total;
}

describe('Fault suite: nothing lost, nothing duplicated, nothing invented', () => {
  let redis: RedisServer;
  let postgres: PostgresCluster;
  let product: Product;

  beforeAll(async () => {
    rmSync(LOG_DIR, { recursive: true, force: true }); // logs and Redis data of the previous run
    mkdirSync(LOG_DIR, { recursive: true });
    redis = new RedisServer(await freePort(), join(LOG_DIR, 'redis-data'), join(LOG_DIR, 'redis.log'));
    postgres = new PostgresCluster(await freePort());
    await Promise.all([redis.start(), postgres.init()]);
    product = new Product({ databaseUrl: postgres.url, redisUrl: redis.url, logDir: LOG_DIR, workers: 2 });
    await product.start();
  }, 120_000);

  afterAll(async () => {
    await product?.stop().catch(() => undefined);
    await redis?.stop('SIGKILL').catch(() => undefined);
    await postgres?.destroy().catch(() => undefined);
    if (results.length > 0) {
      process.stdout.write(`\n${'scenario'.padEnd(34)} ${'acked'.padStart(6)} ${'LOST'.padStart(5)} ${'DUP'.padStart(4)} ${'PHANTOM'.padStart(8)} ${'TTR'.padStart(8)}\n`);
      for (const { scenario: name, verdict } of results) {
        const ttr = verdict.ttrMs === null ? 'never' : `${(verdict.ttrMs / 1000).toFixed(1)}s`;
        process.stdout.write(`${name.padEnd(34)} ${String(verdict.acked).padStart(6)} ${String(verdict.lost).padStart(5)} ${String(verdict.dup).padStart(4)} ${String(verdict.phantom).padStart(8)} ${ttr.padStart(8)}\n`);
      }
    }
  }, 60_000);

  beforeEach(async () => {
    await product.sandbox?.clearFaults().catch(() => undefined);
    await product.clearWork();
    await product.resetAccounts();
  }, 60_000);

  it('F12 duplicated (3× concurrently) and shuffled deliveries: one record per call', async () => {
    const ledger = new Ledger();
    const calls = 24;
    await Promise.all(
      Array.from({ length: calls }, async (_, index) => {
        const account = ACCOUNTS[index % ACCOUNTS.length];
        const callSid = ledger.newCallSid();
        const base = { AccountSid: product.twilio.accountSid, CallSid: callSid, From: account.callers[index % account.callers.length], To: '+14155550199', Direction: 'inbound' };
        const callbacks = [
          { ...base, CallStatus: 'ringing', SequenceNumber: '0' },
          { ...base, CallStatus: 'in-progress', SequenceNumber: '1' },
          { ...base, CallStatus: 'completed', SequenceNumber: '2', CallDuration: '45' },
        ].sort(() => Math.random() - 0.5);
        for (const params of callbacks) {
          const statuses = await Promise.all([1, 2, 3].map(() => product.postStatus(account.id, params)));
          if (params.CallStatus === 'completed') {
            if (statuses.some((status) => status >= 200 && status < 300)) ledger.acked.set(callSid, account.id);
            else ledger.nonAcked += 1;
          }
        }
      }),
    );
    const verdict = await settle(product, ledger, { faultEndedAt: Date.now() });
    report('F12 dup ×3 + shuffled', verdict);
    await expectClean(verdict, product, ledger);
    expect(verdict.recorded).toBe(calls);
  }, 120_000);

  it('F1 Redis SIGTERM during ingest, restarted after 4 s (AOF): the inbox and the relay lose nothing', async () => {
    const ledger = new Ledger();
    const load = generateLoad(product, ledger, { perSecond: 40, durationMs: 7000 });
    await sleep(1500);
    await redis.stop('SIGTERM');
    await sleep(4000);
    await redis.start();
    const faultEndedAt = Date.now();
    await load;
    const verdict = await settle(product, ledger, { faultEndedAt });
    report('F1 Redis restart', verdict);
    await expectClean(verdict, product, ledger);
    expect(verdict.nonAcked).toBe(0); // the inbox in PostgreSQL keeps acking while Redis is down
  }, 180_000);

  it('F2 Redis SIGKILLed and restarted with an empty dataset: the queues are rebuilt from PostgreSQL, nothing lost', async () => {
    const ledger = new Ledger();
    const load = generateLoad(product, ledger, { perSecond: 40, durationMs: 7000 });
    await sleep(2500); // jobs queued, calls being logged
    await redis.stop('SIGKILL');
    redis.wipe();
    await sleep(2000);
    await redis.start();
    const faultEndedAt = Date.now();
    await load;
    const verdict = await settle(product, ledger, { faultEndedAt, timeoutMs: 120_000 });
    const marker = await product.redis((client) => client.get(`${product.queuePrefix}:queue-data-marker`));
    report('F2 Redis restarted empty', verdict, `queue data marker ${String(marker)}`);
    await expectClean(verdict, product, ledger);
    expect(marker).toBe('intact'); // the lost dataset was noticed and the rebuild confirmed
    expect(verdict.recordedMs!).toBeLessThanOrEqual(30_000);
    // The replay also re-enqueues calls whose batch was in flight when Redis died: those jobs find the write
    // claimed and look again when the claim's lease (45 s) is over — no-ops by then, but the backlog waits for them.
    expect(verdict.ttrMs!).toBeLessThanOrEqual(75_000);
  }, 200_000);

  it('F3 Redis frozen (SIGSTOP) for 5 s during ingest: acks stay fast through the inbox, nothing lost', async () => {
    const ledger = new Ledger();
    const load = generateLoad(product, ledger, { perSecond: 40, durationMs: 8000 });
    await sleep(1500);
    redis.freeze();
    try {
      await sleep(5000);
    } finally {
      redis.thaw();
    }
    const faultEndedAt = Date.now();
    await load;
    const verdict = await settle(product, ledger, { faultEndedAt });
    report('F3 Redis frozen', verdict);
    await expectClean(verdict, product, ledger);
    expect(verdict.nonAcked).toBe(0); // enqueue gives up after 250 ms; the inbox row is the ack, the relay enqueues it
    expect(verdict.ackP99Ms).toBeLessThanOrEqual(1000);
    expect(verdict.ttrMs!).toBeLessThanOrEqual(15_000); // relay: every 5 s, rows older than 5 s
  }, 180_000);

  it('F4 PostgreSQL stopped (fast) for 4 s during ingest: every delivery acked through the Redis spool, all logged once after it returns', async () => {
    const ledger = new Ledger();
    // No sender retries: with the spool, a delivery is acked whether or not its inbox insert made it.
    const load = generateLoad(product, ledger, { perSecond: 40, durationMs: 7000 });
    await sleep(1500);
    await postgres.stop('fast');
    await sleep(4000);
    await postgres.start();
    const faultEndedAt = Date.now();
    await load;
    // A worker whose Kommo write succeeded just as PostgreSQL went down cannot record it: the call stays claimed
    // (`sending`) and its job waits for the claim's lease (45 s) before reading it back, as in F10. The calls are
    // in Kommo long before: `recordedMs` is the ingest's recovery, TTR the backlog's.
    const verdict = await settle(product, ledger, { faultEndedAt, timeoutMs: 120_000 });
    report('F4 PostgreSQL restart', verdict);
    await expectClean(verdict, product, ledger);
    expect(verdict.nonAcked).toBe(0);
    expect(verdict.ackP99Ms).toBeLessThanOrEqual(1000);
    expect(verdict.recordedMs!).toBeLessThanOrEqual(15_000);
    expect(verdict.ttrMs!).toBeLessThanOrEqual(75_000);
  }, 200_000);

  it('F13 Redis out of memory (noeviction) during ingest: acks stay 2xx through the inbox, all logged once memory is freed', async () => {
    const used = Number(/used_memory:(\d+)/.exec(await redis.cli('INFO', 'memory'))![1]);
    const ledger = new Ledger();
    const load = generateLoad(product, ledger, { perSecond: 40, durationMs: 6000 });
    await sleep(1000);
    await redis.cli('CONFIG', 'SET', 'maxmemory', String(used + 64 * 1024));
    let oomRefusals = 0;
    try {
      await sleep(4000);
      oomRefusals = Number(/errorstat_OOM:count=(\d+)/.exec(await redis.cli('INFO', 'errorstats'))?.[1] ?? 0);
    } finally {
      await redis.cli('CONFIG', 'SET', 'maxmemory', '0');
    }
    const faultEndedAt = Date.now();
    await load;
    const verdict = await settle(product, ledger, { faultEndedAt });
    report('F13 Redis OOM', verdict, `Redis commands refused with OOM ${oomRefusals}`);
    await expectClean(verdict, product, ledger);
    expect(oomRefusals).toBeGreaterThan(0); // the fault did bite
    expect(verdict.nonAcked).toBe(0);
    // Jobs whose completion Redis refused are taken over as stalled (lockDuration + stalledInterval, 30 s), then a
    // retry's backoff; a call claimed in that moment waits out its 45 s lease. Seen: 17–41 s.
    expect(verdict.ttrMs!).toBeLessThanOrEqual(75_000);
    expect(product.api.running).toBe(true);
    expect(product.workers.every((worker) => worker.running)).toBe(true);
  }, 180_000);

  it('F5 Kommo 429 storm (30%; JSON, HTML and empty bodies): no 403, all logged once', async () => {
    for (const account of ACCOUNTS) {
      await product.sandbox.fault({ accountId: account.id, endpoint: 'POST /api/v4/calls', kind: 'status', status: 429, count: 2 });
      for (const body of ['json', 'html', 'empty']) await product.sandbox.fault({ accountId: account.id, endpoint: 'POST /api/v4/calls', kind: 'rate429', rate: 0.1, body });
    }
    const ledger = new Ledger();
    await generateLoad(product, ledger, { perSecond: 40, durationMs: 5000 });
    const verdict = await settle(product, ledger, { faultEndedAt: Date.now() });
    const log = await product.sandbox.call<{ refusals: { status: number }[] }>('GET', '/requests');
    const refusals = (status: number) => log.refusals.filter((refusal) => refusal.status === status).length;
    report('F5 429 storm', verdict, `429s ${refusals(429)}, 403s ${refusals(403)}`);
    await expectClean(verdict, product, ledger);
    expect(refusals(403)).toBe(0);
  }, 180_000);

  it('F6 Kommo 5xx (20%) and 504 on batches above 25: batches shrink, all logged once', async () => {
    for (const account of ACCOUNTS) {
      await product.sandbox.fault({ accountId: account.id, endpoint: 'POST /api/v4/calls', kind: '5xx', rate: 0.2 });
      await product.sandbox.fault({ accountId: account.id, endpoint: 'POST /api/v4/calls', kind: 'batch504', maxItems: 25 });
    }
    const ledger = new Ledger();
    await generateLoad(product, ledger, { perSecond: 60, durationMs: 4000 });
    // A 5xx after sending is ambiguous: the batch's calls are read back together (one list of recent call notes
    // per entity type) before they are sent again; each retry backs off (2, 6, 14, 30, 60 s). Usually all are in
    // Kommo within 20–40 s; a call whose batch fails 5 times in a row (it happens) waits out 112 s of backoff.
    const verdict = await settle(product, ledger, { faultEndedAt: Date.now(), timeoutMs: 240_000 });
    const counts = await Promise.all(ACCOUNTS.map((account) => product.sandbox.call<{ counts: Record<string, number> }>('GET', `/accounts/${account.id}/requests`)));
    const sum = (match: (endpoint: string) => boolean) => counts.reduce((total, { counts: byEndpoint }) => total + Object.entries(byEndpoint).filter(([endpoint]) => match(endpoint)).reduce((n, [, count]) => n + count, 0), 0);
    const posts = sum((endpoint) => endpoint === 'POST /api/v4/calls');
    const reads = sum((endpoint) => endpoint.startsWith('GET '));
    report('F6 5xx + 504 > 25', verdict, `${posts} POST /calls, ${reads} reads`);
    await expectClean(verdict, product, ledger);
    // Reconciliation costs a few reads per failed batch, not a search per call.
    expect(reads).toBeLessThan(verdict.acked);
    expect(verdict.ttrMs!).toBeLessThanOrEqual(200_000);
  }, 300_000);

  it('F7 Kommo hangs past the client timeout (not stored) and drops connections after storing: retried, reconciled, all logged once', async () => {
    for (const account of ACCOUNTS) {
      await product.sandbox.fault({ accountId: account.id, endpoint: 'POST /api/v4/calls', kind: 'hang', count: 2 });
      await product.sandbox.fault({ accountId: account.id, endpoint: 'POST /api/v4/calls', kind: 'commit-then-drop', count: 2 });
    }
    const ledger = new Ledger();
    await generateLoad(product, ledger, { perSecond: 30, durationMs: 4000 });
    const verdict = await settle(product, ledger, { faultEndedAt: Date.now(), timeoutMs: 120_000 });
    const fired = await product.sandbox.call<{ faults: { kind: string; fired: number }[] }>('GET', '/faults').catch(() => ({ faults: [] }));
    report('F7 hang + commit-then-drop', verdict, `faults left unfired: ${fired.faults.length}`);
    await expectClean(verdict, product, ledger);
    expect(fired.faults).toEqual([]); // every injected hang and drop happened
  }, 200_000);

  itFull?.('F11 a worker frozen for 40 s (longer than the job lock): its jobs stall, run elsewhere and are counted; nothing lost or doubled', async () => {
    const ledger = new Ledger();
    const load = generateLoad(product, ledger, { perSecond: 30, durationMs: 6000 });
    await sleep(2000); // both workers hold active jobs now (batches fill for up to 5 s during a burst)
    const frozen = product.workers[0].pid!;
    process.kill(frozen, 'SIGSTOP');
    try {
      await sleep(40_000);
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
    const faultEndedAt = Date.now();
    await load;
    const verdict = await settle(product, ledger, { faultEndedAt, timeoutMs: 120_000 });
    const stalled = await stalledJobsCounted(product);
    report('F11 worker frozen 40 s', verdict, `stalled jobs counted ${stalled}`);
    await expectClean(verdict, product, ledger);
    expect(stalled).toBeGreaterThan(0);
  }, 240_000);

  it('F8 access tokens expire under concurrent workers: exactly one refresh per account', async () => {
    for (const account of ACCOUNTS) await product.sandbox.expireAccessTokens(account.id);
    await product.query(`UPDATE kommo_account SET token_expires_at = now() - interval '1 minute'`);
    const before = await Promise.all(ACCOUNTS.map((account) => product.sandbox.oauthHistory(account.id)));
    const ledger = new Ledger();
    await generateLoad(product, ledger, { perSecond: 100, durationMs: 3000 });
    const verdict = await settle(product, ledger, { faultEndedAt: Date.now() });
    const after = await Promise.all(ACCOUNTS.map((account) => product.sandbox.oauthHistory(account.id)));
    const refreshes = after.map((history, index) => {
      const count = (list: { grantType: string }[]) => list.filter((request) => request.grantType === 'refresh_token').length;
      return count(history.tokenRequests) - count(before[index].tokenRequests);
    });
    const refused = after.flatMap((history) => history.tokenRequests.filter((request) => request.grantType === 'refresh_token' && request.outcome !== 'issued'));
    report('F8 token expiry', verdict, `refreshes per account ${refreshes.join('/')}`);
    await expectClean(verdict, product, ledger);
    expect(refreshes).toEqual(ACCOUNTS.map(() => 1));
    expect(refused).toEqual([]);
  }, 180_000);

  itFull?.('F9 one account blocked (403 on everything): its work parked, the other account unaffected, all logged after re-authorisation', async () => {
    const [blocked, other] = ACCOUNTS;
    await product.sandbox.fault({ accountId: blocked.id, endpoint: '* /api/*', kind: 'status', status: 403, count: 1_000_000 });
    const ledger = new Ledger();
    await generateLoad(product, ledger, { perSecond: 30, durationMs: 4000 });
    const loadEndedAt = Date.now();
    const otherCalls = [...ledger.acked.values()].filter((account) => account === other.id).length;
    // The other account's calls arrive while the first one is blocked.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { calls } = await product.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${other.id}/calls`);
      if (calls.length >= otherCalls) break;
      if (Date.now() > deadline) throw new Error(`account ${other.id}: ${calls.length}/${otherCalls} calls logged while ${blocked.id} was blocked`);
      await sleep(250);
    }
    const otherDoneAt = Date.now();
    const [{ status }] = await product.query<{ status: string }>('SELECT status FROM kommo_account WHERE id = $1', [blocked.id]);
    expect(status).toBe('blocked');
    const log = await product.sandbox.call<{ entries?: { at?: number; status: number }[] }>('GET', `/accounts/${blocked.id}/requests`);
    const forbidden = (log.entries ?? []).filter((entry) => entry.status === 403).length;
    await sleep(1500); // cool-off: no more requests to the blocked account
    const later = await product.sandbox.call<{ entries?: unknown[] }>('GET', `/accounts/${blocked.id}/requests`);
    const requestsDuringCoolOff = (later.entries?.length ?? 0) - (log.entries?.length ?? 0);

    await product.sandbox.clearFaults();
    await product.install(blocked.id); // an admin authorises again: parked work resumes
    const verdict = await settle(product, ledger, { faultEndedAt: Date.now() });
    report('F9 403 block of one account', verdict, `403s ${forbidden}, requests to it in cool-off ${requestsDuringCoolOff}, other account done ${((otherDoneAt - loadEndedAt) / 1000).toFixed(1)} s after the load`);
    await expectClean(verdict, product, ledger);
    expect(requestsDuringCoolOff).toBe(0);
  }, 180_000);

  it('F10 a worker SIGKILLed mid-job 10 times: stalled jobs re-run, nothing lost or doubled', async () => {
    const ledger = new Ledger();
    const load = generateLoad(product, ledger, { perSecond: 30, durationMs: 12_000 });
    for (let kill = 0; kill < 10; kill += 1) {
      await sleep(1100);
      const index = kill % product.workers.length;
      await product.workers[index].stop('SIGKILL');
      await product.restartWorker(index);
    }
    const faultEndedAt = Date.now();
    await load;
    const verdict = await settle(product, ledger, { faultEndedAt, timeoutMs: 120_000 });
    report('F10 worker SIGKILL ×10', verdict);
    await expectClean(verdict, product, ledger);
    // Stalled jobs are taken over within lockDuration + stalledInterval (30 s); a call whose Kommo write was
    // claimed by the killed worker waits for the claim's lease (send window 20 s + request timeout 10 s + 15 s)
    // before it is read back and sent: that bounds the worst case near a minute.
    expect(verdict.ttrMs!).toBeLessThanOrEqual(75_000);
  }, 240_000);
});
