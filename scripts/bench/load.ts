import { Agent, request } from 'node:http';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** One HTTP request on a keep-alive agent; resolves with the status (0 on a network error). */
export function send(agent: Agent, base: URL, item: LoadRequest): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { agent, host: base.hostname, port: base.port, method: item.method, path: item.path, headers: { ...item.headers, ...(item.body ? { 'content-length': Buffer.byteLength(item.body) } : {}) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(item.body);
  });
}

/**
 * Closed-loop load: `connections` lanes, each sending its next request as soon as the previous one is answered,
 * for `durationMs` (after a discarded warm-up of `warmupMs`). `next(i)` builds the i-th request (e.g. a
 * pre-signed webhook with a unique CallSid).
 */
export async function runLoad(baseUrl: string, next: (index: number) => LoadRequest, options: { connections: number; durationMs: number; warmupMs: number }): Promise<LoadResult> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  let index = 0;
  const lane = async (until: number, latencies: number[] | null, counters: { non2xx: number; errors: number }) => {
    while (Date.now() < until) {
      const started = performance.now();
      const status = await send(agent, base, next(index++));
      if (latencies) latencies.push(performance.now() - started);
      if (status === 0) counters.errors += 1;
      else if (status < 200 || status >= 300) counters.non2xx += 1;
    }
  };
  const warm = { non2xx: 0, errors: 0 };
  const warmUntil = Date.now() + options.warmupMs;
  await Promise.all(Array.from({ length: options.connections }, () => lane(warmUntil, null, warm)));
  const latencies: number[] = [];
  const counters = { non2xx: 0, errors: 0 };
  const started = performance.now();
  const until = Date.now() + options.durationMs;
  await Promise.all(Array.from({ length: options.connections }, () => lane(until, latencies, counters)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requests: latencies.length, ...counters, seconds: round(seconds), perSecond: Math.round(latencies.length / seconds), p50Ms: pick(0.5), p99Ms: pick(0.99) };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Open-loop load: request i is sent at start + i / rate (up to `connections` in flight), whatever the answers
 * do; latency counts from the scheduled time (no coordinated omission). At a rate the product sustains even on a
 * busy machine, CPU per request is comparable between runs (the closed loop's batching varies with contention).
 */
export async function runFixedRate(baseUrl: string, next: (index: number) => LoadRequest, options: { rate: number; connections: number; durationMs: number }): Promise<LoadResult & { late: number }> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const latencies: number[] = [];
  const counters = { non2xx: 0, errors: 0, late: 0 };
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= options.connections) {
      counters.late += 1;
      await Promise.race(inFlight);
    }
    const request = send(agent, base, next(index)).then((status) => {
      latencies.push(performance.now() - due);
      if (status === 0) counters.errors += 1;
      else if (status < 200 || status >= 300) counters.non2xx += 1;
      inFlight.delete(request);
    });
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requests: latencies.length, ...counters, seconds: round(seconds), perSecond: Math.round(latencies.length / seconds), p50Ms: pick(0.5), p99Ms: pick(0.99) };
}
