import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  buildDataSourceOptions,
  RedisDistributedLock,
  RedisOAuthStateStore,
  SecretCipher,
  TypeOrmAccountSettingsRepository,
  TypeOrmKommoAccountRepository,
  TypeOrmKommoUserRepository,
  TypeOrmParkedTaskRepository,
  TypeOrmCallWebhookInbox,
  TypeOrmVoipConnectionRepository,
} from '@app/persistence';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import {
  ACCOUNT_SETTINGS_REPOSITORY,
  APP_CONFIG,
  CLOCK,
  DISTRIBUTED_LOCK,
  KOMMO_ACCOUNT_REPOSITORY,
  KOMMO_USER_REPOSITORY,
  OAUTH_STATE_STORE,
  PARKED_TASK_REPOSITORY,
  CALL_WEBHOOK_INBOX,
  KOMMO_TRAFFIC_CLASS,
  REDIS,
  SECURE_RANDOM,
  VOIP_CONNECTION_REPOSITORY,
} from '../di-tokens';
import { AccountPhoneCountries } from '../phone-country/account-phone-countries';
import { CryptoSecureRandom, SystemClock } from './system-clock';

export type KommoTrafficClass = 'interactive' | 'background';

class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * Config, PostgreSQL (TypeORM), Redis and the persistence adapters, shared by api, worker and cli.
 * The config is loaded and validated by each app's main (loadAppConfig) before Nest starts.
 */
@Global()
@Module({})
export class InfrastructureModule {
  /**
   * `kommoTraffic`: 'interactive' (api: a manager is waiting) may use Kommo's whole per-account budget;
   * 'background' (worker) leaves `KOMMO_INTERACTIVE_HEADROOM` requests/s of it for interactive lookups.
   */
  static forRoot(config: AppConfig, options: { kommoTraffic?: KommoTrafficClass } = {}): DynamicModule {
    const cipher = () => new SecretCipher(SecretCipher.parseKeys(config.encryptionKeys).keys);
    return {
      module: InfrastructureModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => {
            const logger = new Logger('Database');
            return buildDataSourceOptions(config.databaseUrl, {
              migrationsRun: config.dbMigrationsRun,
              log: (level, message) => (level === 'error' ? logger.error(message) : logger.warn(message)),
            });
          },
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: KOMMO_TRAFFIC_CLASS, useValue: options.kommoTraffic ?? 'interactive' },
        {
          provide: REDIS,
          useFactory: () => {
            const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
            redis.on('error', (error: Error) => new Logger('Redis').warn(`Redis: ${error.message}`));
            return redis;
          },
        },
        RedisShutdown,
        { provide: SecretCipher, useFactory: cipher },
        { provide: CLOCK, useClass: SystemClock },
        { provide: SECURE_RANDOM, useClass: CryptoSecureRandom },
        {
          provide: DISTRIBUTED_LOCK,
          useFactory: (redis: Redis, cfg: AppConfig) => new RedisDistributedLock(redis, cfg.queuePrefix),
          inject: [REDIS, APP_CONFIG],
        },
        {
          provide: OAUTH_STATE_STORE,
          useFactory: (redis: Redis, cfg: AppConfig) => new RedisOAuthStateStore(redis, cfg.queuePrefix),
          inject: [REDIS, APP_CONFIG],
        },
        {
          provide: KOMMO_ACCOUNT_REPOSITORY,
          useFactory: (ds: DataSource, c: SecretCipher) => new TypeOrmKommoAccountRepository(ds, c),
          inject: [DataSource, SecretCipher],
        },
        { provide: KOMMO_USER_REPOSITORY, useFactory: (ds: DataSource) => new TypeOrmKommoUserRepository(ds), inject: [DataSource] },
        {
          provide: ACCOUNT_SETTINGS_REPOSITORY,
          useFactory: (ds: DataSource) => new TypeOrmAccountSettingsRepository(ds),
          inject: [DataSource],
        },
        {
          provide: VOIP_CONNECTION_REPOSITORY,
          useFactory: (ds: DataSource, c: SecretCipher) => new TypeOrmVoipConnectionRepository(ds, c),
          inject: [DataSource, SecretCipher],
        },
        { provide: PARKED_TASK_REPOSITORY, useFactory: (ds: DataSource) => new TypeOrmParkedTaskRepository(ds), inject: [DataSource] },
        { provide: CALL_WEBHOOK_INBOX, useFactory: (ds: DataSource) => new TypeOrmCallWebhookInbox(ds), inject: [DataSource] },
        {
          provide: AccountPhoneCountries,
          useFactory: (accounts: TypeOrmKommoAccountRepository, cfg: AppConfig) =>
            new AccountPhoneCountries((accountId) => accounts.countryOf(accountId), cfg.phoneDefaultCountry),
          inject: [KOMMO_ACCOUNT_REPOSITORY, APP_CONFIG],
        },
      ],
      exports: [
        APP_CONFIG,
        KOMMO_TRAFFIC_CLASS,
        REDIS,
        SecretCipher,
        CLOCK,
        SECURE_RANDOM,
        DISTRIBUTED_LOCK,
        OAUTH_STATE_STORE,
        KOMMO_ACCOUNT_REPOSITORY,
        KOMMO_USER_REPOSITORY,
        ACCOUNT_SETTINGS_REPOSITORY,
        VOIP_CONNECTION_REPOSITORY,
        PARKED_TASK_REPOSITORY,
        CALL_WEBHOOK_INBOX,
        AccountPhoneCountries,
      ],
    };
  }
}
