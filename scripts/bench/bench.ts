/**
 * `npm run bench` (after `npm run build`): the built product as real processes (Kommo sandbox, api, worker) on
 * a Redis of its own and a database of its own, measured against quality.md §6:
 *   (a) webhook ingest rate and ack latency, with a bare endpoint of the same api in the same run and the ratio;
 *   (b) single-call end-to-end latency (webhook acked → call stored in the sandbox);
 *   (c) a 1,000-call burst for one account: time until all are logged, Kommo requests used, 429s;
 *   (d) Redis bytes per queued job.
 * Prints one table and writes bench-results/bench-<time>.json. Runs in about a minute.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { freePort } from '../../test/utils/free-port';
import { RedisServer, productRoot, sleep } from '../../test/faults/harness/processes';
import { ACCOUNTS, Product } from '../../test/faults/harness/product';
import { round, runFixedRate, runLoad, send } from './load';

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'bench-results');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1500);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const ADMIN_DATABASE_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Name prefix of the throw-away database (several people benching on one PostgreSQL keep apart). */
const DATABASE_PREFIX = process.env.BENCH_DATABASE_PREFIX ?? 'kommo_voip_bench_';
/** `BENCH_INGEST_ONLY=1`: measure (a) and (d) only (a quick loop while tuning the webhook path). */
const INGEST_ONLY = process.env.BENCH_INGEST_ONLY === '1';
/** Open-loop rate (req/s) of the fixed-rate ingest run, whose CPU per webhook is the stable number on a busy machine. */
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 300);
/** Set with cpu-profile.preload.js: the api is profiled during (a). */
const PROFILE = (process.env.BENCH_PROFILE_MATCH ?? '') !== '';

interface Row {
  readonly metric: string;
  readonly value: string;
  readonly floor: string;
  readonly target: string;
  readonly verdict: 'target met' | 'floor met' | 'MISSED' | 'info';
}

function judge(value: number, floor: number | null, target: number | null, lowerIsBetter: boolean): Row['verdict'] {
  const ok = (limit: number) => (lowerIsBetter ? value <= limit : value >= limit);
  if (target !== null && ok(target)) return 'target met';
  if (floor !== null && ok(floor)) return 'floor met';
  return floor === null && target === null ? 'info' : 'MISSED';
}

/** CPU time (user + system) of a process in µs, from /proc. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1e6) / 100; // USER_HZ = 100 on Linux
}

async function withDatabase(name: string, create: boolean): Promise<string> {
  const admin = new URL(ADMIN_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (create) await client.query(`CREATE DATABASE "${name}"`);
  const version = ((await client.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
  await client.end();
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  process.env.BENCH_PG_VERSION = version;
  return url.toString();
}

async function main(): Promise<void> {
  const started = Date.now();
  const logDir = join(OUT_DIR, 'logs');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const dbName = `${DATABASE_PREFIX}${randomBytes(3).toString('hex')}`;
  const databaseUrl = await withDatabase(dbName, true);
  const redis = new RedisServer(await freePort(), join(logDir, 'redis-data'), join(logDir, 'redis.log'));
  await redis.start();
  await redis.cli('FLUSHALL');
  const product = new Product({ databaseUrl, redisUrl: redis.url, logDir, workers: 1 });
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  try {
    log('starting sandbox, api and worker (built dist)…');
    await product.start();
    await product.resetAccounts();
    const account = ACCOUNTS[0];
    const statusUrl = product.statusUrls.get(account.id)!;
    const statusPath = new URL(statusUrl).pathname;
    const caller = account.callers[0];
    let sequence = 0;
    const signedStatus = (callSid: string) => {
      const params = { AccountSid: product.twilio.accountSid, CallSid: callSid, CallStatus: 'completed', CallDuration: '30', Direction: 'inbound', From: caller, To: '+14155550199', SequenceNumber: '2' };
      return {
        method: 'POST' as const,
        path: statusPath,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(product.twilio.authToken, statusUrl, params) },
        body: new URLSearchParams(params).toString(),
      };
    };
    const run = randomBytes(4).toString('hex');
    const callSid = () => `CA${run}${(++sequence).toString(16).padStart(24, '0')}`;

    // (a) ingest, workers stopped (the queue fills: (d) is measured on that backlog), then the bare endpoint.
    log(`(a) ingest: ${CONNECTIONS} connections, ${DURATION_MS} ms after ${WARMUP_MS} ms warm-up…`);
    await Promise.all(product.workers.map((worker) => worker.stop('SIGTERM')));
    const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.cli('INFO', 'memory'))![1]);
    const apiPid = product.api.pid!;
    const cpu0 = cpuMicros(apiPid);
    const corpus = Array.from({ length: 200_000 }, () => null as ReturnType<typeof signedStatus> | null);
    if (PROFILE) process.kill(apiPid, 'SIGWINCH'); // cpu-profile.preload.js: start
    const ingest = await runLoad(product.apiUrl, (index) => (corpus[index % corpus.length] ??= signedStatus(callSid())), { connections: CONNECTIONS, durationMs: DURATION_MS, warmupMs: WARMUP_MS });
    const cpuPerRequest = round((cpuMicros(apiPid) - cpu0) / Math.max(1, sequence));
    if (PROFILE) process.kill(apiPid, 'SIGWINCH'); // … and write the profile
    // The same path at a fixed rate every run can sustain: CPU per webhook without the closed loop's batching.
    const cpuFixed0 = cpuMicros(apiPid);
    const sequenceFixed0 = sequence;
    const fixed = await runFixedRate(product.apiUrl, () => signedStatus(callSid()), { rate: FIXED_RATE, connections: CONNECTIONS, durationMs: DURATION_MS });
    const cpuPerRequestFixed = round((cpuMicros(apiPid) - cpuFixed0) / Math.max(1, sequence - sequenceFixed0));
    results.ingestFixedRate = { ...fixed, rate: FIXED_RATE, cpuMicrosPerRequest: cpuPerRequestFixed };
    const bare = await runLoad(product.apiUrl, () => ({ method: 'GET', path: '/health/live' }), { connections: CONNECTIONS, durationMs: DURATION_MS, warmupMs: WARMUP_MS });
    results.ingest = { ...ingest, cpuMicrosPerRequest: cpuPerRequest, connections: CONNECTIONS };
    results.bare = bare;
    const ratio = round(ingest.perSecond / bare.perSecond, 2);
    rows.push({ metric: '(a) webhook ingest, full path (req/s)', value: String(ingest.perSecond), floor: '≥ 500', target: '≥ 3,000', verdict: judge(ingest.perSecond, 500, 3000, false) });
    rows.push({ metric: '(a) ack latency p50 / p99 (ms)', value: `${ingest.p50Ms} / ${ingest.p99Ms}`, floor: '≤ 20 / ≤ 100', target: '≤ 5 / ≤ 20', verdict: ingest.p50Ms <= 5 && ingest.p99Ms <= 20 ? 'target met' : ingest.p50Ms <= 20 && ingest.p99Ms <= 100 ? 'floor met' : 'MISSED' });
    rows.push({ metric: '(a) non-2xx / errors', value: `${ingest.non2xx} / ${ingest.errors}`, floor: '0', target: '0', verdict: ingest.non2xx + ingest.errors === 0 ? 'target met' : 'MISSED' });
    rows.push({ metric: '(a) api CPU per acked webhook (µs)', value: String(cpuPerRequest), floor: '≤ 1000', target: '≤ 300', verdict: judge(cpuPerRequest, 1000, 300, true) });
    rows.push({ metric: `(a) at a fixed ${FIXED_RATE} req/s: CPU µs per webhook, p50 / p99 (ms)`, value: `${cpuPerRequestFixed}, ${fixed.p50Ms} / ${fixed.p99Ms}`, floor: '-', target: '-', verdict: 'info' });
    rows.push({ metric: '(a) bare endpoint GET /health/live (req/s)', value: `${bare.perSecond} (p99 ${bare.p99Ms} ms)`, floor: '-', target: '-', verdict: 'info' });
    rows.push({ metric: '(a) ingest / bare ratio', value: String(ratio), floor: '-', target: '-', verdict: 'info' });

    // (d) Redis bytes per waiting job (the backlog left by (a): one job per inbox row).
    const waiting = Number(await redis.cli('LLEN', `${product.queuePrefix}:call-webhooks:wait`));
    const memoryAfter = Number(/used_memory:(\d+)/.exec(await redis.cli('INFO', 'memory'))![1]);
    const bytesPerJob = Math.round((memoryAfter - memoryBefore) / Math.max(1, waiting));
    results.redis = { waitingJobs: waiting, usedMemoryBefore: memoryBefore, usedMemoryAfter: memoryAfter, bytesPerJob };
    rows.push({ metric: '(d) Redis bytes per queued job', value: `${bytesPerJob} (${waiting} jobs)`, floor: '≤ 3,072', target: '≤ 1,536', verdict: judge(bytesPerJob, 3072, 1536, true) });

    if (!INGEST_ONLY) {
      // Clean slate for (b) and (c): the ingest backlog is benchmark data, not calls to log.
      await redis.cli('FLUSHALL');
      await product.query('TRUNCATE call_webhook_inbox');
      for (let index = 0; index < product.workers.length; index += 1) await product.restartWorker(index);
      await product.waitIdle(30_000);

      // (b) one call at a time, idle system.
      log('(b) single-call end to end ×10…');
      const e2e: number[] = [];
      const recorded = async () => (await product.sandbox.call<{ calls: unknown[] }>('GET', `/accounts/${account.id}/calls`)).calls.length;
      for (let index = 0; index < 10; index += 1) {
        const before = await recorded();
        const request = signedStatus(callSid());
        const response = await fetch(statusUrl, { method: 'POST', headers: request.headers, body: request.body });
        const acked = performance.now();
        if (!response.ok) throw new Error(`webhook answered ${response.status}`);
        while ((await recorded()) <= before) await sleep(5);
        e2e.push(performance.now() - acked);
        await sleep(300);
      }
      e2e.sort((a, b) => a - b);
      const b = { p50Ms: round(e2e[Math.floor(e2e.length / 2)]), maxMs: round(e2e[e2e.length - 1]), samples: e2e.map((value) => round(value)) };
      results.singleCall = b;
      rows.push({ metric: '(b) single call webhook → sandbox, p50 / max of 10 (ms)', value: `${b.p50Ms} / ${b.maxMs}`, floor: 'p99 ≤ 3,000', target: 'p50 ≤ 400, p99 ≤ 1,000', verdict: b.p50Ms <= 400 && b.maxMs <= 1000 ? 'target met' : b.maxMs <= 3000 ? 'floor met' : 'MISSED' });

      // (c) 1,000 calls of one account within about a second.
      log(`(c) burst of ${BURST} calls for one account…`);
      await product.sandbox.reset('demo');
      await product.resetAccounts();
      const before = await recorded();
      const burst = Array.from({ length: BURST }, () => signedStatus(callSid()));
      const burstStarted = performance.now();
      const statuses = await sendAll(product.apiUrl, burst, 50);
      const lastAck = performance.now();
      const deadline = Date.now() + 120_000;
      while ((await recorded()) - before < BURST && Date.now() < deadline) await sleep(50);
      const allLogged = performance.now();
      const logged = (await recorded()) - before;
      const requestLog = await product.sandbox.call<{ counts: Record<string, Record<string, number>>; refusals: { status: number }[] }>('GET', `/requests?accountId=${account.id}`);
      const posts = requestLog.counts[String(account.id)]?.['POST /api/v4/calls'] ?? 0;
      const kommoRequests = Object.values(requestLog.counts[String(account.id)] ?? {}).reduce((sum, count) => sum + count, 0);
      const c = {
        calls: BURST,
        acked: statuses.filter((status) => status >= 200 && status < 300).length,
        ingestSeconds: round((lastAck - burstStarted) / 1000, 2),
        loggedAfterLastWebhookSeconds: round((allLogged - lastAck) / 1000, 2),
        logged,
        postCalls: posts,
        kommoRequests,
        requestsPerCall: round(kommoRequests / Math.max(1, logged), 3),
        status429: requestLog.refusals.filter((refusal) => refusal.status === 429).length,
        status403: requestLog.refusals.filter((refusal) => refusal.status === 403).length,
      };
      results.burst = c;
      rows.push({ metric: `(c) ${BURST} calls: logged ${c.logged}, time after last webhook (s)`, value: String(c.loggedAfterLastWebhookSeconds), floor: '≤ 30', target: '≤ 5', verdict: c.logged < BURST ? 'MISSED' : judge(c.loggedAfterLastWebhookSeconds, 30, 5, true) });
      rows.push({ metric: '(c) POST /api/v4/calls used (all Kommo requests)', value: `${c.postCalls} (${c.kommoRequests})`, floor: '-', target: `= ${Math.ceil(BURST / 50)}`, verdict: c.postCalls === Math.ceil(BURST / 50) ? 'target met' : 'MISSED' });
      rows.push({ metric: '(c) Kommo requests per call (R)', value: String(c.requestsPerCall), floor: '-', target: '≤ 0.03', verdict: c.requestsPerCall <= 0.03 ? 'target met' : 'MISSED' });
      rows.push({ metric: '(c) 429 / 403 from Kommo', value: `${c.status429} / ${c.status403}`, floor: '0 / 0', target: '0 / 0', verdict: c.status429 + c.status403 === 0 ? 'target met' : 'MISSED' });
    }
  } finally {
    await product.stop().catch(() => undefined);
    await redis.stop('SIGKILL').catch(() => undefined);
    await withDatabase(dbName, false).catch(() => undefined);
  }

  const environment = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    redis: /v=(\S+)/.exec(execFileSync('redis-server', ['--version']).toString())?.[1] ?? 'unknown',
    postgres: process.env.BENCH_PG_VERSION ?? 'unknown',
    tool: `built-in closed-loop HTTP generator (node:http keep-alive), ${CONNECTIONS} connections, ${DURATION_MS} ms + ${WARMUP_MS} ms discarded warm-up`,
    mode: 'shared (generator and product float over all cores)',
    product: `${productRoot()}/dist (api, 1 worker, Kommo sandbox)`,
  };
  const widths = [58, 26, 14, 24];
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' ').trimEnd();
  process.stdout.write(`\nBenchmark (quality.md §6) — ${environment.cpu} × ${environment.cores}, Node ${environment.node}, Redis ${environment.redis}, PostgreSQL ${environment.postgres}\n`);
  process.stdout.write(`${line(['metric', 'measured', 'floor', 'target', 'verdict'])}\n`);
  for (const row of rows) process.stdout.write(`${line([row.metric, row.value, row.floor, row.target, row.verdict])}\n`);
  const file = join(OUT_DIR, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ environment, rows, results, seconds: round((Date.now() - started) / 1000) }, null, 2)}\n`);
  process.stdout.write(`\n${rows.filter((row) => row.verdict === 'target met').length} targets met, ${rows.filter((row) => row.verdict === 'floor met').length} floors only, ${rows.filter((row) => row.verdict === 'MISSED').length} missed; JSON: ${file}\n`);
}

/** Sends every request as fast as `connections` lanes allow; statuses in order. */
async function sendAll(baseUrl: string, items: readonly { method: 'POST'; path: string; headers: Record<string, string>; body: string }[], connections: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const base = new URL(baseUrl);
  const statuses: number[] = new Array<number>(items.length).fill(0);
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let index = next++; index < items.length; index = next++) statuses[index] = await send(agent, base, items[index]);
    }),
  );
  agent.destroy();
  return statuses;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
