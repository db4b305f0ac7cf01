import { LiveCallContext, LiveCallContexts, LiveCallEvent, LiveCallEvents } from '@app/domain';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** How long "this phase was sent to this user" is remembered (longer than any call). */
const SENT_TTL_SECONDS = 24 * 3600;
/** How long the ringing context of a call is kept for its later phases. */
const CONTEXT_TTL_SECONDS = 12 * 3600;

/** The pub/sub channel of one manager's live channel; every api process subscribes to the ones it serves. */
export function liveChannelOf(prefix: string, accountId: number, userId: number): string {
  return `${prefix}:live:user:${accountId}:${userId}`;
}

/**
 * Live call events over Redis pub/sub: one `SET NX` per (call, phase, user) decides who sends, so a Twilio retry,
 * two api processes or several workers never send a phase twice; then PUBLISH to the user's channel, which every
 * api process holding that user's SSE streams relays.
 */
export class RedisLiveCallEvents implements LiveCallEvents {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async publishOnce(accountId: number, userIds: readonly number[], event: LiveCallEvent): Promise<number[]> {
    const sent: number[] = [];
    const payload = JSON.stringify(event);
    for (const userId of new Set(userIds)) {
      const key = `${this.prefix}:live:sent:${accountId}:${event.callId}:${event.phase}:${userId}`;
      const first = await this.redis.set(key, '1', 'EX', SENT_TTL_SECONDS, 'NX');
      if (first !== 'OK') continue;
      await this.redis.publish(liveChannelOf(this.prefix, accountId, userId), payload);
      sent.push(userId);
    }
    return sent;
  }
}

/** The ringing context of a call (caller view, targets), kept in Redis for the worker's later phases. */
export class RedisLiveCallContexts implements LiveCallContexts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async save(accountId: number, context: LiveCallContext): Promise<void> {
    await this.redis.set(this.key(accountId, context.callId), JSON.stringify(context), 'EX', CONTEXT_TTL_SECONDS);
  }

  async find(accountId: number, callId: string): Promise<LiveCallContext | null> {
    const raw = await this.redis.get(this.key(accountId, callId));
    return raw ? (JSON.parse(raw) as LiveCallContext) : null;
  }

  private key(accountId: number, callId: string): string {
    return `${this.prefix}:live:call:${accountId}:${callId}`;
  }
}

export interface LiveTicketHolder {
  readonly accountId: number;
  readonly userId: number;
}

/**
 * Single-use tickets for the widget's EventSource (which cannot send X-Auth-Token): random, stored only as a
 * SHA-256 hash, bound to account and user, burnt atomically (GETDEL) on first use, expired after the TTL.
 */
export class RedisLiveTickets {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async issue(ticket: string, holder: LiveTicketHolder, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key(ticket), JSON.stringify(holder), 'EX', ttlSeconds, 'NX');
  }

  async redeem(ticket: string): Promise<LiveTicketHolder | null> {
    if (!/^[A-Za-z0-9_-]{20,200}$/.test(ticket)) return null;
    const raw = await this.redis.getdel(this.key(ticket));
    return raw ? (JSON.parse(raw) as LiveTicketHolder) : null;
  }

  private key(ticket: string): string {
    return `${this.prefix}:live:ticket:${createHash('sha256').update(ticket).digest('hex')}`;
  }
}
