import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { REDIS } from '@app/application';
import type { Redis } from 'ioredis';

type Listener = (payload: string) => void;

/**
 * This api process's side of the live channel: one Redis subscriber connection, subscribed to the channels of the
 * managers whose widgets hold a stream here (reference-counted: the last stream of a channel unsubscribes it).
 */
@Injectable()
export class LiveHub implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('LiveChannel');
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closers = new Set<() => void>();
  private subscriber: Redis | null = null;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Starts relaying the channel's messages to `listener`; the returned function stops it (idempotent). */
  async subscribe(channel: string, listener: Listener, close: () => void): Promise<() => Promise<void>> {
    const subscriber = this.connection();
    let listeners = this.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(channel, listeners);
      await subscriber.subscribe(channel);
    }
    listeners.add(listener);
    this.closers.add(close);
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      this.closers.delete(close);
      const current = this.listeners.get(channel);
      current?.delete(listener);
      if (current && current.size === 0) {
        this.listeners.delete(channel);
        await subscriber.unsubscribe(channel).catch((error: unknown) => this.logger.warn(`unsubscribe failed: ${String(error)}`));
      }
    };
  }

  /** Open streams end before the HTTP server closes (it waits for open connections). */
  beforeApplicationShutdown(): void {
    for (const close of [...this.closers]) close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private connection(): Redis {
    if (!this.subscriber) {
      const subscriber = this.redis.duplicate();
      subscriber.on('error', (error: Error) => this.logger.warn(`Redis subscriber: ${error.message}`));
      subscriber.on('message', (channel: string, payload: string) => {
        for (const listener of this.listeners.get(channel) ?? []) listener(payload);
      });
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }
}
