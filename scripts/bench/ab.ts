/**
 * A/B of the webhook ack path between two builds in the same conditions (a busy 2-core machine makes two
 * separate bench runs incomparable): both products run side by side (each with its own Redis, database, sandbox;
 * workers stopped) and get the same closed-loop load in alternating short slices, A B B A A B …, so contention
 * from anything else on the machine hits both alike. Per build: api CPU µs per acked webhook, req/s, p50/p99.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register scripts/bench/ab.ts <root A> <root B>
 * (a root is a checkout with a built dist/ and node_modules/; copy dist/ aside to keep a "before" build).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { freePort } from '../../test/utils/free-port';
import { RedisServer } from '../../test/faults/harness/processes';
import { ACCOUNTS, Product } from '../../test/faults/harness/product';
import { LoadResult, round, runLoad } from './load';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const ADMIN_DATABASE_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_PREFIX = process.env.BENCH_DATABASE_PREFIX ?? 'kommo_voip_bench_';

function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

async function admin(sql: string): Promise<void> {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(sql);
  await client.end();
}

interface Side {
  readonly label: string;
  readonly product: Product;
  readonly redis: RedisServer;
  readonly dbName: string;
  readonly next: () => { method: 'POST'; path: string; headers: Record<string, string>; body: string };
  cpuMicros: number;
  requests: number;
  non2xx: number;
  readonly slices: LoadResult[];
}

async function startSide(label: string, root: string, logRoot: string): Promise<Side> {
  const logDir = join(logRoot, label);
  mkdirSync(logDir, { recursive: true });
  const dbName = `${DATABASE_PREFIX}${label}_${randomBytes(3).toString('hex')}`;
  await admin(`CREATE DATABASE "${dbName}"`);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${dbName}`;
  const redis = new RedisServer(await freePort(), join(logDir, 'redis-data'), join(logDir, 'redis.log'));
  await redis.start();
  process.env.OPS_ROOT = root; // read by the harness when it starts processes
  const product = new Product({ databaseUrl: url.toString(), redisUrl: redis.url, logDir, workers: 1 });
  await product.start();
  await product.resetAccounts();
  await Promise.all(product.workers.map((worker) => worker.stop('SIGTERM')));
  const account = ACCOUNTS[0];
  const statusUrl = product.statusUrls.get(account.id)!;
  const path = new URL(statusUrl).pathname;
  const run = randomBytes(4).toString('hex');
  let sequence = 0;
  const next = () => {
    const params = { AccountSid: product.twilio.accountSid, CallSid: `CA${run}${(++sequence).toString(16).padStart(24, '0')}`, CallStatus: 'completed', CallDuration: '30', Direction: 'inbound', From: account.callers[0], To: '+14155550199', SequenceNumber: '2' };
    return {
      method: 'POST' as const,
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(product.twilio.authToken, statusUrl, params) },
      body: new URLSearchParams(params).toString(),
    };
  };
  return { label, product, redis, dbName, next, cpuMicros: 0, requests: 0, non2xx: 0, slices: [] };
}

async function slice(side: Side, measure: boolean): Promise<void> {
  const pid = side.product.api.pid!;
  // Requests are signed ahead so the generator's own HMACs do not slow one side's slice.
  const corpus = Array.from({ length: Math.ceil((SLICE_MS / 1000) * 6000) }, side.next);
  let cursor = 0;
  const before = cpuMicros(pid);
  let sent = 0;
  const result = await runLoad(side.product.apiUrl, () => {
    sent += 1;
    return corpus[cursor++ % corpus.length];
  }, { connections: CONNECTIONS, durationMs: SLICE_MS, warmupMs: 300 });
  if (!measure) return;
  side.cpuMicros += cpuMicros(pid) - before;
  side.requests += sent;
  side.non2xx += result.non2xx + result.errors;
  side.slices.push(result);
}

async function main(): Promise<void> {
  const [rootA, rootB] = process.argv.slice(2);
  if (!rootA || !rootB) throw new Error('usage: ab.ts <root A> <root B>');
  const logRoot = join(__dirname, '..', '..', 'bench-results', 'ab-logs');
  rmSync(logRoot, { recursive: true, force: true });
  const sides: Side[] = [];
  try {
    sides.push(await startSide('a', rootA, logRoot));
    sides.push(await startSide('b', rootB, logRoot));
    await slice(sides[0], false);
    await slice(sides[1], false);
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? [sides[0], sides[1]] : [sides[1], sides[0]];
      for (const side of order) await slice(side, true);
    }
  } finally {
    for (const side of sides) {
      await side.product.stop().catch(() => undefined);
      await side.redis.stop('SIGKILL').catch(() => undefined);
      await admin(`DROP DATABASE IF EXISTS "${side.dbName}" WITH (FORCE)`).catch(() => undefined);
    }
  }
  for (const [index, side] of sides.entries()) {
    const slices = side.slices;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    process.stdout.write(
      `${index === 0 ? 'A' : 'B'} ${[rootA, rootB][index]}: CPU ${round(side.cpuMicros / Math.max(1, side.requests))} µs/webhook, ` +
        `${Math.round(slices.reduce((sum, s) => sum + s.perSecond, 0) / Math.max(1, slices.length))} req/s, median slice p50 ${median(slices.map((s) => s.p50Ms))} ms / p99 ${median(slices.map((s) => s.p99Ms))} ms, ` +
        `non-2xx+errors ${side.non2xx}, ${side.requests} requests\n`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
