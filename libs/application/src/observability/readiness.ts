import type { Queue } from 'bull';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { QueueDepth, QueueDepthSource } from './app-metrics';

/** Queue depth and lag straight from Bull (a few Redis reads per queue). */
export class BullQueueDepthSource implements QueueDepthSource {
  constructor(private readonly queues: readonly Queue[]) {}

  async snapshot(): Promise<readonly QueueDepth[]> {
    const now = Date.now();
    return Promise.all(
      this.queues.map(async (queue) => {
        const [counts, oldest] = await Promise.all([
          queue.getJobCounts() as Promise<{ waiting: number; active: number; delayed: number; failed: number; paused?: number }>,
          queue.getJobs(['waiting', 'paused'], 0, 0, true),
        ]);
        const timestamps = oldest.filter(Boolean).map((job) => job.timestamp);
        return {
          queue: queue.name,
          waiting: counts.waiting + (counts.paused ?? 0),
          active: counts.active,
          delayed: counts.delayed,
          failed: counts.failed,
          oldestWaitingSeconds: timestamps.length > 0 ? Math.max(0, (now - Math.min(...timestamps)) / 1000) : 0,
        };
      }),
    );
  }
}

export interface ReadinessReport {
  readonly status: 'ok' | 'unavailable';
  readonly database: 'up' | 'down';
  readonly redis: 'up' | 'down';
  /** Per queue: waiting jobs and the oldest one's age (lag). Informational: a backlog does not make us unready. */
  readonly queues: readonly { readonly queue: string; readonly waiting: number; readonly lagSeconds: number }[] | null;
  /** Queues whose lag exceeds the configured threshold. */
  readonly lagging: readonly string[];
}

/** Each dependency check is bounded so a hung PostgreSQL or Redis makes the probe fail, not hang. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Readiness of a process: PostgreSQL and Redis answer (each within `timeoutMs`), plus queue depth and lag.
 * Not ready only when a dependency is down; lag above `maxLagSeconds` is reported in `lagging`.
 */
export async function checkReadiness(
  deps: { dataSource: DataSource; redis: Redis; queues: QueueDepthSource },
  options: { timeoutMs?: number; maxLagSeconds?: number } = {},
): Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const [database, redis] = await Promise.allSettled([
    within(deps.dataSource.query('SELECT 1'), timeoutMs),
    within(deps.redis.ping(), timeoutMs),
  ]);
  const redisUp = redis.status === 'fulfilled';
  const depths = redisUp ? await within(deps.queues.snapshot(), timeoutMs).catch(() => null) : null;
  const queues = depths?.map((depth) => ({ queue: depth.queue, waiting: depth.waiting, lagSeconds: Math.round(depth.oldestWaitingSeconds * 10) / 10 })) ?? null;
  const maxLag = options.maxLagSeconds ?? 300;
  return {
    status: database.status === 'fulfilled' && redisUp ? 'ok' : 'unavailable',
    database: database.status === 'fulfilled' ? 'up' : 'down',
    redis: redisUp ? 'up' : 'down',
    queues,
    lagging: (queues ?? []).filter((queue) => queue.lagSeconds > maxLag).map((queue) => queue.queue),
  };
}
