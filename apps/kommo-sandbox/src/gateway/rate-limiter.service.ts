import { Inject, Injectable } from '@nestjs/common';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from '../sandbox-options';
import { SandboxStore } from '../store/sandbox-store';

export type LimitDecision = { kind: 'pass' } | { kind: 'limited' } | { kind: 'blocked' };

/**
 * Kommo's limits (§10): at most N requests per second per integration and account, counted in a
 * sliding 1 s window over the requests that were served; repeated 429s block the account (403 for
 * everything) until reset or `blockMs`.
 */
@Injectable()
export class RateLimiterService {
  private served = new Map<string, number[]>();
  private violations = new Map<number, number[]>();
  private blockedUntil = new Map<number, number>();

  constructor(
    store: SandboxStore,
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
  ) {
    store.onReset(() => {
      this.served = new Map();
      this.violations = new Map();
      this.blockedUntil = new Map();
    });
  }

  isBlocked(accountId: number, now = Date.now()): boolean {
    const until = this.blockedUntil.get(accountId);
    if (until === undefined) return false;
    if (until > now) return true;
    this.blockedUntil.delete(accountId);
    return false;
  }

  blockedAccounts(): { accountId: number; until: number | null }[] {
    return [...this.blockedUntil.entries()].map(([accountId, until]) => ({ accountId, until: Number.isFinite(until) ? until : null }));
  }

  check(clientId: string, accountId: number, now = Date.now()): LimitDecision {
    const { limits } = this.options;
    if (this.isBlocked(accountId, now)) return { kind: 'blocked' };
    const key = `${clientId}:${accountId}`;
    const window = (this.served.get(key) ?? []).filter((time) => now - time < 1000);
    if (window.length >= limits.requestsPerSecond) {
      this.served.set(key, window);
      const violations = (this.violations.get(accountId) ?? []).filter((time) => now - time < limits.abuseWindowMs);
      violations.push(now);
      this.violations.set(accountId, violations);
      if (violations.length >= limits.abuseThreshold) {
        this.blockedUntil.set(accountId, limits.blockMs === null ? Number.POSITIVE_INFINITY : now + limits.blockMs);
      }
      return { kind: 'limited' };
    }
    window.push(now);
    this.served.set(key, window);
    return { kind: 'pass' };
  }
}
