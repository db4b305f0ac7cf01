import { kommoClientConfigOf } from '@app/application';
import type { AppConfig } from '@app/application';
import { findExtensionDrift, KommoAccountStatus } from '@app/domain';
import type { KommoAccount, KommoAccountRepository, KommoUserRepository, VoipConnectionRepository } from '@app/domain';
import { KommoHttp } from '@app/kommo';
import { RedisKommoRateLimiter, TypeOrmExtensionDirectory, TypeOrmSeenIdentities } from '@app/persistence';
import { normalizeVoipIdentity, voipIdentityAliases, voipWebhookUrls } from '@app/voip';
import type { Queue } from 'bull';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  readonly status: CheckStatus;
  readonly name: string;
  readonly detail: string;
}

export interface DoctorDeps {
  readonly config: AppConfig;
  readonly dataSource: DataSource;
  readonly redis: Redis;
  readonly queues: readonly Queue[];
  readonly accounts: KommoAccountRepository;
  readonly users: KommoUserRepository;
  readonly connections: VoipConnectionRepository;
  /** HTTP for our own public URLs (injectable for tests). */
  readonly fetch?: typeof fetch;
}

const TIMEOUT_MS = 5000;

/**
 * Checks a deployment from the inside: PostgreSQL (and pending migrations), Redis (and its eviction policy),
 * the queues, each account's Kommo token and reachability, our public webhook URLs, and the extension map.
 * Read-only except one `GET /api/v4/account` per connected account (through the shared rate limiter).
 */
export class Doctor {
  private readonly fetch: typeof fetch;

  constructor(private readonly deps: DoctorDeps) {
    this.fetch = deps.fetch ?? fetch;
  }

  async run(options: { accountId?: number; skipKommo?: boolean } = {}, onCheck: (check: DoctorCheck) => void = () => undefined): Promise<DoctorCheck[]> {
    const checks: DoctorCheck[] = [];
    const add = (check: DoctorCheck) => {
      checks.push(check);
      onCheck(check);
    };
    add(await this.database());
    const redis = await this.redisCheck();
    add(redis);
    if (redis.status !== 'fail') for (const check of await this.queueChecks()) add(check);
    add(await this.publicUrl());
    let accounts: KommoAccount[] = [];
    try {
      accounts = (await this.deps.accounts.findAll()).filter((account) => options.accountId === undefined || account.id === options.accountId);
    } catch (error) {
      add({ status: 'fail', name: 'accounts', detail: `cannot read accounts: ${message(error)}` });
    }
    if (options.accountId !== undefined && accounts.length === 0) add({ status: 'fail', name: 'accounts', detail: `no account ${options.accountId}` });
    for (const account of accounts) {
      for (const check of await this.accountChecks(account, options.skipKommo === true)) add(check);
    }
    return checks;
  }

  private async database(): Promise<DoctorCheck> {
    try {
      await within(this.deps.dataSource.query('SELECT 1'), TIMEOUT_MS);
      const pending = await within(this.deps.dataSource.showMigrations(), TIMEOUT_MS);
      return pending
        ? { status: 'fail', name: 'database', detail: 'PostgreSQL answers, but migrations are pending: run `migrate`' }
        : { status: 'ok', name: 'database', detail: `PostgreSQL answers at ${hostOf(this.deps.config.databaseUrl)}, schema up to date` };
    } catch (error) {
      return { status: 'fail', name: 'database', detail: `PostgreSQL at ${hostOf(this.deps.config.databaseUrl)}: ${message(error)}` };
    }
  }

  private async redisCheck(): Promise<DoctorCheck> {
    const where = hostOf(this.deps.config.redisUrl);
    try {
      await within(this.deps.redis.ping(), TIMEOUT_MS);
      const policy = ((await within(this.deps.redis.config('GET', 'maxmemory-policy'), TIMEOUT_MS)) as string[])[1];
      if (policy && policy !== 'noeviction') {
        return { status: 'warn', name: 'redis', detail: `Redis at ${where} evicts keys (maxmemory-policy ${policy}): queued jobs can vanish; use noeviction` };
      }
      return { status: 'ok', name: 'redis', detail: `Redis answers at ${where} (maxmemory-policy ${policy ?? 'unknown'})` };
    } catch (error) {
      const text = message(error);
      // CONFIG may be disabled on managed Redis: a PING that worked is still a working Redis.
      if (/unknown command|NOPERM|disabled/i.test(text)) return { status: 'ok', name: 'redis', detail: `Redis answers at ${where}` };
      return { status: 'fail', name: 'redis', detail: `Redis at ${where}: ${text}` };
    }
  }

  private async queueChecks(): Promise<DoctorCheck[]> {
    const checks: DoctorCheck[] = [];
    for (const queue of this.deps.queues) {
      try {
        const [counts, paused] = await within(Promise.all([queue.getJobCounts(), queue.isPaused()]), TIMEOUT_MS);
        const detail = `waiting ${counts.waiting}, active ${counts.active}, delayed ${counts.delayed}, failed ${counts.failed}`;
        if (paused) checks.push({ status: 'warn', name: `queue ${queue.name}`, detail: `PAUSED (queues:resume to restart); ${detail}` });
        else if (counts.failed > 0) checks.push({ status: 'warn', name: `queue ${queue.name}`, detail: `${detail} (tasks:retry-failed to retry)` });
        else checks.push({ status: 'ok', name: `queue ${queue.name}`, detail });
      } catch (error) {
        checks.push({ status: 'fail', name: `queue ${queue.name}`, detail: message(error) });
      }
    }
    return checks;
  }

  /** Our PUBLIC_BASE_URL must reach this deployment's api (providers and Kommo call it). */
  private async publicUrl(): Promise<DoctorCheck> {
    const base = this.deps.config.publicBaseUrl;
    if (!base) return { status: 'warn', name: 'public URL', detail: 'PUBLIC_BASE_URL is not set: webhook URLs cannot be checked' };
    try {
      const response = await this.fetch(`${base}/health/live`, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
      return response.status === 200
        ? { status: 'ok', name: 'public URL', detail: `${base}/health/live answers 200` }
        : { status: 'fail', name: 'public URL', detail: `${base}/health/live answers ${response.status}: is PUBLIC_BASE_URL this deployment's api?` };
    } catch (error) {
      return { status: 'fail', name: 'public URL', detail: `${base} unreachable (${message(error)}): providers cannot deliver webhooks` };
    }
  }

  private async accountChecks(account: KommoAccount, skipKommo: boolean): Promise<DoctorCheck[]> {
    const name = `account ${account.id} (${account.subdomain})`;
    const checks: DoctorCheck[] = [];
    const status = account.status;
    if (status === KommoAccountStatus.Disconnected) return [{ status: 'ok', name, detail: 'disconnected (uninstalled): nothing to check' }];
    if (status === KommoAccountStatus.NeedsReauth || status === KommoAccountStatus.Blocked) {
      checks.push({ status: 'fail', name, detail: `${status}${account.statusReason ? ` (${account.statusReason})` : ''}: an admin must install the integration again; work is parked` });
    }
    const tokens = account.tokens;
    if (!tokens) {
      checks.push({ status: 'fail', name: `${name} token`, detail: 'no tokens stored' });
    } else {
      const left = tokens.expiresAt.getTime() - Date.now();
      checks.push(
        left > 0
          ? { status: 'ok', name: `${name} token`, detail: `access token valid for ${Math.round(left / 60_000)} min (refreshed before expiry)` }
          : { status: 'warn', name: `${name} token`, detail: 'access token expired: it is refreshed on the next Kommo request' },
      );
      if (!skipKommo && status === KommoAccountStatus.Connected) checks.push(await this.kommoReachability(account, name, tokens.accessToken));
    }
    checks.push(...(await this.webhookChecks(account, name)));
    checks.push(await this.extensionDrift(account, name));
    return checks;
  }

  private async kommoReachability(account: KommoAccount, name: string, accessToken: string): Promise<DoctorCheck> {
    const { config } = this.deps;
    const http = new KommoHttp(
      { ...kommoClientConfigOf(config), requestTimeoutMs: Math.min(config.kommo.requestTimeoutMs, TIMEOUT_MS) },
      {
        // The account's shared budget: the doctor's one request waits its turn like everyone else's.
        limiter: new RedisKommoRateLimiter(this.deps.redis, config.queuePrefix, { limit: config.kommo.rateLimitPerSecond, windowMs: 1150 }),
        maxPermitWaitMs: TIMEOUT_MS,
        retriesOn429: 0,
        backoffOn429Ms: 1000,
      },
    );
    const where = config.kommo.apiBaseUrlOverride ?? `https://${account.host}`;
    try {
      const response = await http.send(account.host, { method: 'GET', path: '/api/v4/account', accessToken });
      switch (response.status) {
        case 200:
          return { status: 'ok', name: `${name} Kommo`, detail: `${where} reachable, token accepted` };
        case 401:
          return { status: 'warn', name: `${name} Kommo`, detail: `${where} reachable, access token refused (401): refreshed on next use; re-install if it persists` };
        case 402:
          return { status: 'fail', name: `${name} Kommo`, detail: `${where}: 402 Payment Required (the Kommo account is not paid)` };
        case 403:
          return { status: 'fail', name: `${name} Kommo`, detail: `${where}: 403 — the account or our IP is blocked by Kommo (too many requests); contact Kommo support` };
        case 429:
          return { status: 'warn', name: `${name} Kommo`, detail: `${where}: 429 — the request budget is exhausted right now` };
        default:
          return { status: response.status >= 500 ? 'warn' : 'fail', name: `${name} Kommo`, detail: `${where}: HTTP ${response.status}` };
      }
    } catch (error) {
      return { status: 'fail', name: `${name} Kommo`, detail: `${where} unreachable: ${message(error)}` };
    }
  }

  /**
   * The provider's webhook URL must reach our api: an unsigned POST must be refused with 403 (route and key
   * known, signature checked). 404 means the URL has a key we do not know.
   */
  private async webhookChecks(account: KommoAccount, name: string): Promise<DoctorCheck[]> {
    const connection = await this.deps.connections.findForAccount(account.id);
    if (!connection) return [{ status: 'warn', name: `${name} webhooks`, detail: 'no telephony connected (widget settings → VoIP connection)' }];
    const base = this.deps.config.publicBaseUrl;
    if (!base) return [];
    const urls = voipWebhookUrls(connection.provider, base, connection.pathKey);
    const url = urls.statusCallbackUrl ?? urls.eventsUrl ?? urls.webhookUrl;
    if (!url) return [];
    const shown = url.replace(connection.pathKey, `${connection.pathKey.slice(0, 4)}…`);
    try {
      const response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'manual',
      });
      if (response.status === 403 || response.status === 401) {
        return [{ status: 'ok', name: `${name} webhooks`, detail: `${connection.provider} webhook URL ${shown} reaches us (unsigned request refused)` }];
      }
      return [{ status: 'fail', name: `${name} webhooks`, detail: `${shown} answered ${response.status} to an unsigned request (expected 403)` }];
    } catch (error) {
      return [{ status: 'fail', name: `${name} webhooks`, detail: `${shown} unreachable: ${message(error)}` }];
    }
  }

  /** The same drift check as GET /widget/extensions (findExtensionDrift): inactive or gone users, duplicates, unmapped identities seen in calls. */
  private async extensionDrift(account: KommoAccount, name: string): Promise<DoctorCheck> {
    const [entries, users, seen] = await Promise.all([
      new TypeOrmExtensionDirectory(this.deps.dataSource).listForAccount(account.id),
      this.deps.users.findForAccount(account.id),
      new TypeOrmSeenIdentities(this.deps.dataSource).listForAccount(account.id),
    ]);
    // The account's phone country, as AccountPhoneCountries answers it (the account is already loaded here).
    const country = account.country ?? this.deps.config.phoneDefaultCountry;
    const drift = findExtensionDrift({
      entries: entries.map(({ extension, userId }) => {
        const normalized = normalizeVoipIdentity(extension, country);
        return { extension, userId, canonical: normalized.ok ? normalized.identity.value : extension.trim(), aliases: voipIdentityAliases(extension, country) };
      }),
      users,
      seen,
    });
    const problems = [
      ...drift.inactiveUsers.map((user) =>
        user.name === null
          ? `extension "${user.extension}" → user ${user.userId}, who is not a user of the account any more`
          : `extension "${user.extension}" → ${user.name} (${user.userId}), who is deactivated in Kommo`,
      ),
      ...drift.duplicateExtensions.map((duplicate) => `extension "${duplicate.extension}" is mapped more than once (users ${duplicate.userIds.join(', ')})`),
      ...drift.unmappedSeen.map((identity) => `"${identity.extension}" answered ${identity.calls} call(s) but is mapped to nobody`),
    ];
    if (problems.length > 0) return { status: 'warn', name: `${name} extensions`, detail: problems.join('; ') };
    return { status: 'ok', name: `${name} extensions`, detail: entries.length === 0 ? 'no extensions mapped' : `${entries.length} extensions mapped to active users` };
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
