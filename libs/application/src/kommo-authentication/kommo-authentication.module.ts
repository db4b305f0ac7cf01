import { Module } from '@nestjs/common';
import {
  Clock,
  ConnectKommoAccountUseCase,
  DisconnectKommoAccountUseCase,
  DistributedLock,
  KommoAccessTokens,
  KommoAccountRepository,
  KommoUserRepository,
  OAuthStateStore,
  ParkedTaskRepository,
  ReportKommoBlockUseCase,
  SecureRandom,
  StartKommoInstallUseCase,
  SyncKommoUsersUseCase,
  TaskQueue,
  VoipConnectionRepository,
} from '@app/domain';
import {
  KommoAccountHostRules,
  KommoApiClient,
  KommoClientConfig,
  KommoHttp,
  KommoOAuthClient,
  KommoUserDirectoryAdapter,
  KommoWidgetTokenVerifier,
} from '@app/kommo';
import { RedisKommoRateLimiter } from '@app/persistence';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import type { KommoTrafficClass } from '../infrastructure/infrastructure.module';
import {
  APP_CONFIG,
  CLOCK,
  DISTRIBUTED_LOCK,
  KOMMO_ACCOUNT_REPOSITORY,
  KOMMO_CLIENT_CONFIG,
  KOMMO_USER_REPOSITORY,
  OAUTH_STATE_STORE,
  KOMMO_TRAFFIC_CLASS,
  PARKED_TASK_REPOSITORY,
  REDIS,
  SECURE_RANDOM,
  TASK_QUEUE,
  VOIP_CONNECTION_REPOSITORY,
} from '../di-tokens';
import { kommoClientConfigOf } from './kommo-client-config';
import { VoipTaskModule } from '../voip/task/voip-task.module';

/** Our window is Kommo's 1 s plus this margin, so network jitter cannot put 8 requests in Kommo's second. */
const RATE_WINDOW_MARGIN_MS = 150;
/** A request waits at most this long for a permit; then the job fails retryably (Bull backs off). */
const MAX_PERMIT_WAIT_MS = 30_000;

/** How long a refresh may take (lock TTL) and how long others wait for it. */
const TOKEN_LOCK_TTL_MS = 15_000;
const TOKEN_LOCK_WAIT_MS = 20_000;

/** Spec node KommoAuthentication: OAuth install/refresh/uninstall use cases, the token service, the Kommo client. */
@Module({
  imports: [VoipTaskModule],
  providers: [
    {
      provide: KOMMO_CLIENT_CONFIG,
      useFactory: (config: AppConfig): KommoClientConfig => kommoClientConfigOf(config),
      inject: [APP_CONFIG],
    },
    {
      provide: KommoHttp,
      useFactory: (c: KommoClientConfig, redis: Redis, config: AppConfig, traffic: KommoTrafficClass) =>
        new KommoHttp(c, {
          // One window per account shared by every process; background work may fill it only up to
          // (limit - headroom), so a manager's lookup never queues behind a burst of call logging.
          limiter: new RedisKommoRateLimiter(redis, config.queuePrefix, {
            limit:
              traffic === 'background'
                ? Math.max(1, config.kommo.rateLimitPerSecond - config.kommo.interactiveHeadroom)
                : config.kommo.rateLimitPerSecond,
            windowMs: 1000 + RATE_WINDOW_MARGIN_MS,
          }),
          maxPermitWaitMs: MAX_PERMIT_WAIT_MS,
          retriesOn429: 2,
          backoffOn429Ms: 1000,
        }),
      inject: [KOMMO_CLIENT_CONFIG, REDIS, APP_CONFIG, KOMMO_TRAFFIC_CLASS],
    },
    {
      provide: KommoOAuthClient,
      useFactory: (http: KommoHttp, c: KommoClientConfig) => new KommoOAuthClient(http, c),
      inject: [KommoHttp, KOMMO_CLIENT_CONFIG],
    },
    {
      provide: KommoAccountHostRules,
      useFactory: (c: KommoClientConfig) => new KommoAccountHostRules(c.accountDomains),
      inject: [KOMMO_CLIENT_CONFIG],
    },
    {
      provide: KommoAccessTokens,
      useFactory: (accounts: KommoAccountRepository, oauth: KommoOAuthClient, lock: DistributedLock, clock: Clock, config: AppConfig) =>
        new KommoAccessTokens(accounts, oauth, lock, clock, {
          refreshMarginMs: config.kommo.tokenRefreshMarginSeconds * 1000,
          lockTtlMs: TOKEN_LOCK_TTL_MS,
          lockWaitMs: TOKEN_LOCK_WAIT_MS,
        }),
      inject: [KOMMO_ACCOUNT_REPOSITORY, KommoOAuthClient, DISTRIBUTED_LOCK, CLOCK, APP_CONFIG],
    },
    {
      provide: KommoApiClient,
      useFactory: (http: KommoHttp, tokens: KommoAccessTokens) => new KommoApiClient(http, tokens),
      inject: [KommoHttp, KommoAccessTokens],
    },
    {
      provide: KommoWidgetTokenVerifier,
      useFactory: (config: AppConfig) =>
        new KommoWidgetTokenVerifier({
          clientId: config.kommo.clientId,
          clientSecret: config.kommo.clientSecret,
          // Kommo sets `aud` to the origin (scheme://host[:port]) of the integration's redirect URI.
          audience: new URL(config.kommo.redirectUri).origin,
          clockSkewSeconds: config.widget.clockSkewSeconds,
        }),
      inject: [APP_CONFIG],
    },
    {
      provide: StartKommoInstallUseCase,
      useFactory: (states: OAuthStateStore, random: SecureRandom) => new StartKommoInstallUseCase(states, random),
      inject: [OAUTH_STATE_STORE, SECURE_RANDOM],
    },
    {
      provide: ConnectKommoAccountUseCase,
      useFactory: (
        hosts: KommoAccountHostRules,
        states: OAuthStateStore,
        oauth: KommoOAuthClient,
        accounts: KommoAccountRepository,
        parked: ParkedTaskRepository,
        tasks: TaskQueue,
        clock: Clock,
      ) => new ConnectKommoAccountUseCase(hosts, states, oauth, accounts, parked, tasks, clock),
      inject: [KommoAccountHostRules, OAUTH_STATE_STORE, KommoOAuthClient, KOMMO_ACCOUNT_REPOSITORY, PARKED_TASK_REPOSITORY, TASK_QUEUE, CLOCK],
    },
    {
      provide: DisconnectKommoAccountUseCase,
      useFactory: (accounts: KommoAccountRepository, connections: VoipConnectionRepository, clock: Clock) =>
        new DisconnectKommoAccountUseCase(accounts, connections, clock),
      inject: [KOMMO_ACCOUNT_REPOSITORY, VOIP_CONNECTION_REPOSITORY, CLOCK],
    },
    {
      provide: ReportKommoBlockUseCase,
      useFactory: (accounts: KommoAccountRepository, clock: Clock) => new ReportKommoBlockUseCase(accounts, clock),
      inject: [KOMMO_ACCOUNT_REPOSITORY, CLOCK],
    },
    {
      provide: SyncKommoUsersUseCase,
      useFactory: (api: KommoApiClient, users: KommoUserRepository, clock: Clock) =>
        new SyncKommoUsersUseCase(new KommoUserDirectoryAdapter(api), users, clock),
      inject: [KommoApiClient, KOMMO_USER_REPOSITORY, CLOCK],
    },
  ],
  exports: [
    KOMMO_CLIENT_CONFIG,
    KommoHttp,
    KommoAccessTokens,
    KommoApiClient,
    KommoWidgetTokenVerifier,
    StartKommoInstallUseCase,
    ConnectKommoAccountUseCase,
    DisconnectKommoAccountUseCase,
    SyncKommoUsersUseCase,
    ReportKommoBlockUseCase,
  ],
})
export class KommoAuthenticationModule {}
