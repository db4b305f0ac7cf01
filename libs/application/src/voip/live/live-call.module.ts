import { Module } from '@nestjs/common';
import {
  AccountSettingsRepository,
  AnnounceRingingCallUseCase,
  CallerDirectory,
  CallRepository,
  Clock,
  IdentityUsers,
  KommoAccessTokens,
  KommoAccountRepository,
  KommoCallNotifications,
  KommoUserRepository,
  LiveCallContexts,
  LiveCallEvents,
  PublishCallProgressUseCase,
  RouteInboundCallUseCase,
  SecureRandom,
} from '@app/domain';
import { CachedCallerDirectory, KommoCallerDirectory, KommoCallNotificationsAdapter, KommoHttp, KommoIncomingLeadsAdapter } from '@app/kommo';
import { RedisLiveCallContexts, RedisLiveCallEvents, RedisLiveTickets, TypeOrmExtensionDirectory, TypeOrmSeenIdentities } from '@app/persistence';
import { storedPhoneIsNumber } from '@app/voip';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import {
  ACCOUNT_SETTINGS_REPOSITORY,
  APP_CONFIG,
  CALL_REPOSITORY,
  CLOCK,
  EXTENSION_DIRECTORY,
  KOMMO_ACCOUNT_REPOSITORY,
  KOMMO_USER_REPOSITORY,
  REDIS,
  SECURE_RANDOM,
} from '../../di-tokens';
import { KommoAuthenticationModule } from '../../kommo-authentication/kommo-authentication.module';
import { AccountPhoneCountries } from '../../phone-country/account-phone-countries';
import { CallPipelineModule } from '../call/call-pipeline.module';
import { ExtensionIdentityUsers } from './extension-identity-users';

export const CALLER_DIRECTORY = Symbol('CALLER_DIRECTORY');
export const LIVE_CALL_EVENTS = Symbol('LIVE_CALL_EVENTS');
export const LIVE_CALL_CONTEXTS = Symbol('LIVE_CALL_CONTEXTS');
export const KOMMO_CALL_NOTIFICATIONS = Symbol('KOMMO_CALL_NOTIFICATIONS');
export const IDENTITY_USERS = Symbol('IDENTITY_USERS');

/** A caller looked up in Kommo is reused for this long (per process, per account and number). */
const CALLER_CACHE_TTL_MS = 30_000;

/**
 * Smart forwarding and caller ID: the Voice URL's routing, the live channel's events (Redis pub/sub, deduplicated
 * per call, phase and manager), Kommo's call notification, the extension map's drift read model.
 */
@Module({
  imports: [CallPipelineModule, KommoAuthenticationModule],
  providers: [
    {
      provide: CALLER_DIRECTORY,
      useFactory: (http: KommoHttp, tokens: KommoAccessTokens) =>
        new CachedCallerDirectory(new KommoCallerDirectory(http, tokens, { isNumber: storedPhoneIsNumber }), CALLER_CACHE_TTL_MS),
      inject: [KommoHttp, KommoAccessTokens],
    },
    { provide: LIVE_CALL_EVENTS, useFactory: (redis: Redis, config: AppConfig) => new RedisLiveCallEvents(redis, config.queuePrefix), inject: [REDIS, APP_CONFIG] },
    { provide: LIVE_CALL_CONTEXTS, useFactory: (redis: Redis, config: AppConfig) => new RedisLiveCallContexts(redis, config.queuePrefix), inject: [REDIS, APP_CONFIG] },
    { provide: RedisLiveTickets, useFactory: (redis: Redis, config: AppConfig) => new RedisLiveTickets(redis, config.queuePrefix), inject: [REDIS, APP_CONFIG] },
    {
      provide: KOMMO_CALL_NOTIFICATIONS,
      useFactory: (http: KommoHttp, tokens: KommoAccessTokens) => new KommoCallNotificationsAdapter(http, tokens),
      inject: [KommoHttp, KommoAccessTokens],
    },
    {
      provide: IDENTITY_USERS,
      useFactory: (extensions: TypeOrmExtensionDirectory, phoneCountries: AccountPhoneCountries) => new ExtensionIdentityUsers(extensions, phoneCountries),
      inject: [EXTENSION_DIRECTORY, AccountPhoneCountries],
    },
    { provide: TypeOrmSeenIdentities, useFactory: (ds: DataSource) => new TypeOrmSeenIdentities(ds), inject: [DataSource] },
    {
      provide: RouteInboundCallUseCase,
      useFactory: (settings: AccountSettingsRepository, extensions: TypeOrmExtensionDirectory, users: KommoUserRepository, callers: CallerDirectory, config: AppConfig) =>
        new RouteInboundCallUseCase(settings, extensions, users, callers, { lookupBudgetMs: config.smartForwardingLookupBudgetMs }),
      inject: [ACCOUNT_SETTINGS_REPOSITORY, EXTENSION_DIRECTORY, KOMMO_USER_REPOSITORY, CALLER_DIRECTORY, APP_CONFIG],
    },
    {
      provide: AnnounceRingingCallUseCase,
      useFactory: (
        calls: CallRepository,
        random: SecureRandom,
        accounts: KommoAccountRepository,
        settings: AccountSettingsRepository,
        callers: CallerDirectory,
        http: KommoHttp,
        tokens: KommoAccessTokens,
        contexts: LiveCallContexts,
        live: LiveCallEvents,
        notifications: KommoCallNotifications,
        clock: Clock,
      ) => new AnnounceRingingCallUseCase(calls, random, accounts, settings, callers, new KommoIncomingLeadsAdapter(http, tokens), contexts, live, notifications, clock),
      inject: [
        CALL_REPOSITORY,
        SECURE_RANDOM,
        KOMMO_ACCOUNT_REPOSITORY,
        ACCOUNT_SETTINGS_REPOSITORY,
        CALLER_DIRECTORY,
        KommoHttp,
        KommoAccessTokens,
        LIVE_CALL_CONTEXTS,
        LIVE_CALL_EVENTS,
        KOMMO_CALL_NOTIFICATIONS,
        CLOCK,
      ],
    },
    {
      provide: PublishCallProgressUseCase,
      useFactory: (
        calls: CallRepository,
        accounts: KommoAccountRepository,
        contexts: LiveCallContexts,
        identities: IdentityUsers,
        callers: CallerDirectory,
        live: LiveCallEvents,
        clock: Clock,
      ) => new PublishCallProgressUseCase(calls, accounts, contexts, identities, callers, live, clock),
      inject: [CALL_REPOSITORY, KOMMO_ACCOUNT_REPOSITORY, LIVE_CALL_CONTEXTS, IDENTITY_USERS, CALLER_DIRECTORY, LIVE_CALL_EVENTS, CLOCK],
    },
  ],
  exports: [RouteInboundCallUseCase, AnnounceRingingCallUseCase, PublishCallProgressUseCase, RedisLiveTickets, TypeOrmSeenIdentities, CallPipelineModule],
})
export class LiveCallModule {}
