import { CallWebhookDelivery, CallWebhookKind, CallWebhookSpool, VoipProvider } from '@app/domain';
import type { Redis } from 'ioredis';

/** Answer of the put script when the spool is at its bound. */
const FULL = 'SPOOL_FULL';

/** Store-once with a bound: 1 stored, 0 already there, an error reply when full. */
const PUT_ONCE = `
if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('hlen', KEYS[1]) >= tonumber(ARGV[3]) then return redis.error_reply('${FULL}') end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
return 1`;

export class CallWebhookSpoolFullError extends Error {
  constructor(maxEntries: number) {
    super(`The webhook spool holds ${maxEntries} deliveries (its bound); refusing more until it drains`);
    this.name = 'CallWebhookSpoolFullError';
  }
}

export class CallWebhookSpoolTimeoutError extends Error {
  constructor(operation: string, timeoutMs: number) {
    super(`Webhook spool ${operation} took more than ${timeoutMs} ms`);
    this.name = 'CallWebhookSpoolTimeoutError';
  }
}

export interface RedisCallWebhookSpoolOptions {
  /**
   * At most this many deliveries wait (a put beyond answers an error → the webhook is refused, 503). Bounds
   * Redis memory during a long PostgreSQL outage: a Twilio status callback is ~1 KB here, so 100,000 ≈ 100–150 MB.
   */
  readonly maxEntries: number;
  /** `put` gives up after this long (a frozen Redis must not hold the provider's request). */
  readonly putTimeoutMs: number;
}

/**
 * The webhook spool in Redis: one hash `<prefix>:webhook-spool`, field = (connection id, dedupe key) as JSON,
 * value = the whole delivery as JSON. HSETNX semantics (in a script, with the bound) give "stored once"; the
 * drain samples with HRANDFIELD (several drainers rarely pick the same entries) and deletes a field only
 * after the inbox holds it.
 *
 * No TTL, on purpose: every entry is a delivery we acknowledged, and it leaves only through the drain.
 * Durability is Redis's: with AOF `everysec` (docker-compose) a Redis crash while PostgreSQL is also down
 * can lose up to ~1 s of spooled deliveries. Redis must run with `maxmemory-policy noeviction` (Bull needs
 * it too): an evicting policy could drop the hash.
 */
export class RedisCallWebhookSpool implements CallWebhookSpool {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly options: RedisCallWebhookSpoolOptions,
  ) {
    this.key = `${prefix}:webhook-spool`;
  }

  async put(delivery: CallWebhookDelivery): Promise<{ duplicate: boolean }> {
    const write = this.redis.eval(PUT_ONCE, 1, this.key, fieldOf(delivery), serialise(delivery), String(this.options.maxEntries)).catch((error: unknown) => {
      if (error instanceof Error && error.message.includes(FULL)) throw new CallWebhookSpoolFullError(this.options.maxEntries);
      throw error;
    });
    const stored = await withTimeout(write, this.options.putTimeoutMs, () => new CallWebhookSpoolTimeoutError('put', this.options.putTimeoutMs));
    return { duplicate: stored === 0 };
  }

  async sample(limit: number): Promise<CallWebhookDelivery[]> {
    const flat = (await this.redis.hrandfield(this.key, limit, 'WITHVALUES')) as string[];
    const deliveries: CallWebhookDelivery[] = [];
    for (let index = 1; index < flat.length; index += 2) {
      const delivery = deserialise(flat[index]);
      if (delivery) deliveries.push(delivery);
    }
    return deliveries;
  }

  async remove(delivery: CallWebhookDelivery): Promise<void> {
    await this.redis.hdel(this.key, fieldOf(delivery));
  }

  size(): Promise<number> {
    return this.redis.hlen(this.key);
  }
}

function fieldOf(delivery: CallWebhookDelivery): string {
  return JSON.stringify([delivery.connectionId, delivery.dedupeKey]);
}

function serialise(delivery: CallWebhookDelivery): string {
  return JSON.stringify({
    accountId: delivery.accountId,
    connectionId: delivery.connectionId,
    provider: delivery.provider,
    kind: delivery.kind,
    dedupeKey: delivery.dedupeKey,
    payload: delivery.payload,
    receivedAt: delivery.receivedAt.toISOString(),
  });
}

/** A stored entry back to a delivery; null for a value this code never wrote (left in place, never guessed at). */
function deserialise(value: string): CallWebhookDelivery | null {
  try {
    const raw = JSON.parse(value) as Record<string, unknown>;
    const receivedAt = new Date(String(raw.receivedAt));
    if (
      typeof raw.accountId !== 'number' ||
      typeof raw.connectionId !== 'string' ||
      typeof raw.dedupeKey !== 'string' ||
      typeof raw.payload !== 'object' ||
      raw.payload === null ||
      Number.isNaN(receivedAt.getTime())
    ) {
      return null;
    }
    return {
      accountId: raw.accountId,
      connectionId: raw.connectionId,
      provider: raw.provider as VoipProvider,
      kind: raw.kind as CallWebhookKind,
      dedupeKey: raw.dedupeKey,
      payload: raw.payload as Record<string, unknown>,
      receivedAt,
    };
  } catch {
    return null;
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), timeoutMs);
  });
  work.catch(() => undefined); // a late failure after the timeout is not an unhandled rejection
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
