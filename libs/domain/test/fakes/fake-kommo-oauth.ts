import { InvalidGrantError, KommoAccountInfo, KommoOAuth, KommoTokenGrant } from '../../src';

type Operation = 'exchange' | 'refresh' | 'fetchAccount';

/**
 * Kommo's OAuth server as the domain sees it. Grants are numbered (`access-1`/`refresh-1`, ...).
 * Like Kommo, a refresh token works once: using it again answers invalid_grant.
 * Each operation can be told to fail (once or until cleared) or to wait for the test to release it.
 */
export class FakeKommoOAuth implements KommoOAuth {
  readonly exchangeCalls: { host: string; code: string }[] = [];
  readonly refreshCalls: { host: string; refreshToken: string }[] = [];
  readonly fetchAccountCalls: { host: string; accessToken: string }[] = [];
  expiresInSeconds = 86_400;

  private grants = 0;
  private readonly usedRefreshTokens = new Set<string>();
  private readonly accounts = new Map<string, KommoAccountInfo>();
  private readonly failures = new Map<Operation, { error: Error; once: boolean }>();
  private readonly gates = new Map<Operation, Promise<void>>();
  private readonly delays = new Map<Operation, number>();

  /** What `fetchAccount` answers for tokens issued on `host`. */
  setAccount(host: string, info: KommoAccountInfo): void {
    this.accounts.set(host, info);
  }

  failWith(operation: Operation, error: Error, options: { once?: boolean } = {}): void {
    this.failures.set(operation, { error, once: options.once ?? false });
  }

  clearFailure(operation: Operation): void {
    this.failures.delete(operation);
  }

  /** Calls to `operation` wait (after being recorded) until the returned function is called. */
  hold(operation: Operation): () => void {
    let release!: () => void;
    this.gates.set(operation, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.gates.delete(operation);
      release();
    };
  }

  /** Calls to `operation` take `ms` of real time. */
  delay(operation: Operation, ms: number): void {
    this.delays.set(operation, ms);
  }

  get calls(): number {
    return this.exchangeCalls.length + this.refreshCalls.length + this.fetchAccountCalls.length;
  }

  async exchangeAuthorizationCode(host: string, code: string): Promise<KommoTokenGrant> {
    this.exchangeCalls.push({ host, code });
    await this.beforeAnswer('exchange');
    return this.nextGrant();
  }

  async refresh(host: string, refreshToken: string): Promise<KommoTokenGrant> {
    this.refreshCalls.push({ host, refreshToken });
    await this.beforeAnswer('refresh');
    if (this.usedRefreshTokens.has(refreshToken)) {
      throw new InvalidGrantError(`refresh token ${refreshToken} was already used`);
    }
    this.usedRefreshTokens.add(refreshToken);
    return this.nextGrant();
  }

  async fetchAccount(host: string, accessToken: string): Promise<KommoAccountInfo> {
    this.fetchAccountCalls.push({ host, accessToken });
    await this.beforeAnswer('fetchAccount');
    const info = this.accounts.get(host);
    if (!info) throw new Error(`FakeKommoOAuth: no account configured for ${host}`);
    return { ...info };
  }

  private async beforeAnswer(operation: Operation): Promise<void> {
    const gate = this.gates.get(operation);
    if (gate) await gate;
    const ms = this.delays.get(operation);
    if (ms !== undefined) await new Promise((resolve) => setTimeout(resolve, ms));
    const failure = this.failures.get(operation);
    if (failure) {
      if (failure.once) this.failures.delete(operation);
      throw failure.error;
    }
  }

  private nextGrant(): KommoTokenGrant {
    this.grants += 1;
    return {
      accessToken: `access-${this.grants}`,
      refreshToken: `refresh-${this.grants}`,
      expiresInSeconds: this.expiresInSeconds,
    };
  }
}
