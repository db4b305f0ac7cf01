import { BullModule, getQueueToken } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { CallHistorySource, CallWebhookInbox, ClickToCallGateway, Clock, DistributedLock, ImportCallHistoryUseCase, TaskQueue } from '@app/domain';
import { SecretCipher, TypeOrmCallRepository, TypeOrmVoipProviderStateRepository } from '@app/persistence';
import {
  ProviderExtensionList,
  RingCentralAccessTokens,
  RingCentralCallLogSource,
  RingCentralClient,
  RingCentralExtensionList,
  RingCentralRingOutGateway,
  RingCentralSubscriptions,
  TwilioCallLogSource,
  ZenviaCallReportSource,
  ZenviaClickToCallGateway,
  ZenviaClient,
  ZenviaExtensionList,
} from '@app/voip';
import { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG, CALL_WEBHOOK_INBOX, CLOCK, DISTRIBUTED_LOCK, TASK_QUEUE } from '../../di-tokens';
import { VoipTaskModule } from '../task/voip-task.module';

/** Bull queue of the call-history import, subscription checks and RingCentral recording look-ups (not a TaskName queue). */
export const CALL_HISTORY_QUEUE = 'call-history';
export enum CallHistoryJob {
  /** Repeatable: fans out one import (and, for RingCentral, one subscription check) per connection. */
  Tick = 'tick',
  ImportConnection = 'import-connection',
  EnsureSubscription = 'ensure-subscription',
  RingCentralRecording = 'ringcentral-recording',
}
export interface CallHistoryJobData {
  readonly accountId: number;
  readonly connectionId: string;
  readonly telephonySessionId?: string;
  readonly endedAt?: string;
}

export const PROVIDER_STATE_REPOSITORY = Symbol('PROVIDER_STATE_REPOSITORY');
export const RINGCENTRAL_CLIENT = Symbol('RINGCENTRAL_CLIENT');
export const RINGCENTRAL_SUBSCRIPTIONS = Symbol('RINGCENTRAL_SUBSCRIPTIONS');
export const RINGCENTRAL_CALL_LOG = Symbol('RINGCENTRAL_CALL_LOG');
export const RINGCENTRAL_ACCESS_TOKENS = Symbol('RINGCENTRAL_ACCESS_TOKENS');
export const ZENVIA_CLIENT = Symbol('ZENVIA_CLIENT');
/** The provider extension lists (GET /widget/extensions/provider). */
export const PROVIDER_EXTENSION_LISTS = Symbol('PROVIDER_EXTENSION_LISTS');
/** Click-to-call gateways of RingCentral (RingOut) and Zenvia (/chamada): `readonly ClickToCallGateway[]`. */
export const PROVIDER_CLICK_TO_CALL_GATEWAYS = Symbol('PROVIDER_CLICK_TO_CALL_GATEWAYS');
/** The call logs we can reconcile with: Twilio, RingCentral, Zenvia. */
export const CALL_HISTORY_SOURCES = Symbol('CALL_HISTORY_SOURCES');

/** Entries appear in providers' logs with some latency: each run starts this long before the previous end. */
const IMPORT_OVERLAP_MS = 10 * 60 * 1000;

/**
 * RingCentral and Zenvia adapters, the call-history sources and the import use case, wired for api, worker and
 * cli. Provider REST base URLs come from the configuration (tests point them at local fakes).
 */
@Module({
  imports: [VoipTaskModule, BullModule.registerQueue({ name: CALL_HISTORY_QUEUE })],
  providers: [
    {
      provide: PROVIDER_STATE_REPOSITORY,
      useFactory: (ds: DataSource, cipher: SecretCipher) => new TypeOrmVoipProviderStateRepository(ds, cipher),
      inject: [DataSource, SecretCipher],
    },
    {
      provide: RINGCENTRAL_ACCESS_TOKENS,
      useFactory: (config: AppConfig) => new RingCentralAccessTokens({ apiBaseUrl: config.providers.ringCentralApiBaseUrl, timeoutMs: config.providers.requestTimeoutMs }),
      inject: [APP_CONFIG],
    },
    {
      provide: RINGCENTRAL_CLIENT,
      useFactory: (tokens: RingCentralAccessTokens, config: AppConfig) =>
        new RingCentralClient(tokens, { apiBaseUrl: config.providers.ringCentralApiBaseUrl, timeoutMs: config.providers.requestTimeoutMs }),
      inject: [RINGCENTRAL_ACCESS_TOKENS, APP_CONFIG],
    },
    {
      provide: RINGCENTRAL_SUBSCRIPTIONS,
      useFactory: (client: RingCentralClient, state: TypeOrmVoipProviderStateRepository, config: AppConfig, clock: Clock, lock: DistributedLock) =>
        new RingCentralSubscriptions(
          client,
          state,
          { eventFilter: config.providers.ringCentralEventFilter, expiresInSeconds: config.providers.ringCentralSubscriptionExpiresInSeconds },
          () => clock.now(),
          lock,
        ),
      inject: [RINGCENTRAL_CLIENT, PROVIDER_STATE_REPOSITORY, APP_CONFIG, CLOCK, DISTRIBUTED_LOCK],
    },
    { provide: RINGCENTRAL_CALL_LOG, useFactory: (client: RingCentralClient) => new RingCentralCallLogSource(client), inject: [RINGCENTRAL_CLIENT] },
    {
      provide: ZENVIA_CLIENT,
      useFactory: (config: AppConfig) => new ZenviaClient({ apiBaseUrl: config.providers.zenviaApiBaseUrl, timeoutMs: config.providers.requestTimeoutMs }),
      inject: [APP_CONFIG],
    },
    {
      provide: PROVIDER_EXTENSION_LISTS,
      useFactory: (rc: RingCentralClient, zenvia: ZenviaClient): readonly ProviderExtensionList[] => [new RingCentralExtensionList(rc), new ZenviaExtensionList(zenvia)],
      inject: [RINGCENTRAL_CLIENT, ZENVIA_CLIENT],
    },
    {
      provide: PROVIDER_CLICK_TO_CALL_GATEWAYS,
      useFactory: (rc: RingCentralClient, zenvia: ZenviaClient, config: AppConfig): readonly ClickToCallGateway[] => [
        new RingCentralRingOutGateway(rc),
        new ZenviaClickToCallGateway(zenvia, { recordCalls: config.providers.zenviaRecordCalls }),
      ],
      inject: [RINGCENTRAL_CLIENT, ZENVIA_CLIENT, APP_CONFIG],
    },
    {
      provide: CALL_HISTORY_SOURCES,
      useFactory: (rcLog: RingCentralCallLogSource, zenvia: ZenviaClient, config: AppConfig): readonly CallHistorySource[] => [
        new TwilioCallLogSource({ apiBaseUrl: config.twilioApiBaseUrl, timeoutMs: config.providers.requestTimeoutMs }),
        rcLog,
        new ZenviaCallReportSource(zenvia),
      ],
      inject: [RINGCENTRAL_CALL_LOG, ZENVIA_CLIENT, APP_CONFIG],
    },
    {
      provide: ImportCallHistoryUseCase,
      useFactory: (sources: readonly CallHistorySource[], ds: DataSource, inbox: CallWebhookInbox, queue: TaskQueue, state: TypeOrmVoipProviderStateRepository, clock: Clock, config: AppConfig) =>
        new ImportCallHistoryUseCase(sources, new TypeOrmCallRepository(ds), inbox, queue, state, clock, {
          lookbackMs: config.providers.callHistoryImportLookbackMinutes * 60_000,
          overlapMs: IMPORT_OVERLAP_MS,
        }),
      inject: [CALL_HISTORY_SOURCES, DataSource, CALL_WEBHOOK_INBOX, TASK_QUEUE, PROVIDER_STATE_REPOSITORY, CLOCK, APP_CONFIG],
    },
  ],
  exports: [
    BullModule,
    PROVIDER_STATE_REPOSITORY,
    RINGCENTRAL_ACCESS_TOKENS,
    RINGCENTRAL_CLIENT,
    RINGCENTRAL_SUBSCRIPTIONS,
    RINGCENTRAL_CALL_LOG,
    ZENVIA_CLIENT,
    PROVIDER_EXTENSION_LISTS,
    PROVIDER_CLICK_TO_CALL_GATEWAYS,
    CALL_HISTORY_SOURCES,
    ImportCallHistoryUseCase,
  ],
})
export class ProviderAdaptersModule {}

/** The call-history queue's token, for `@Inject(CALL_HISTORY_QUEUE_TOKEN) queue: Queue`. */
export const CALL_HISTORY_QUEUE_TOKEN = getQueueToken(CALL_HISTORY_QUEUE);
export type CallHistoryQueue = Queue<CallHistoryJobData | Record<string, never>>;
