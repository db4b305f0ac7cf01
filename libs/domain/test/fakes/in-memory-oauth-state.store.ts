import { Clock, OAuthStateStore } from '../../src';

/** One-time states with a TTL measured on the (fake) clock; issuing never overwrites (SET NX). */
export class InMemoryOAuthStateStore implements OAuthStateStore {
  private readonly expiresAt = new Map<string, number>();
  readonly consumed: string[] = [];

  constructor(private readonly clock: Clock) {}

  async issue(state: string, ttlMs: number): Promise<void> {
    if (this.isLive(state)) return;
    this.expiresAt.set(state, this.clock.now().getTime() + ttlMs);
  }

  async consume(state: string): Promise<boolean> {
    this.consumed.push(state);
    const live = this.isLive(state);
    this.expiresAt.delete(state);
    return live;
  }

  /** Issued, unused and not expired. */
  isLive(state: string): boolean {
    const expiresAt = this.expiresAt.get(state);
    return expiresAt !== undefined && this.clock.now().getTime() < expiresAt;
  }
}
