import { QueueDataMarker } from '@app/domain';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A rebuild that is not confirmed within this time is claimed again by another process (its owner died). */
const REBUILD_CLAIM_MS = 10 * 60_000;

/**
 * The marker is one key, `<prefix>:queue-data-marker`, beside the queues in the same Redis database: it
 * disappears with them. `intact` once a rebuild is confirmed; `rebuilding:<owner>` (expiring) while one runs.
 */
export class RedisQueueDataMarker implements QueueDataMarker {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:queue-data-marker`;
  }

  async claimRebuild(): Promise<boolean> {
    const owner = `rebuilding:${randomBytes(6).toString('hex')}`;
    return (await this.redis.set(this.key, owner, 'PX', REBUILD_CLAIM_MS, 'NX')) === 'OK';
  }

  async confirmRebuilt(): Promise<void> {
    await this.redis.set(this.key, 'intact');
  }
}
