import { Logger, Module } from '@nestjs/common';
import {
  AccountSettingsRepository,
  AddCallUseCase,
  DEFAULT_ADD_CALL_OPTIONS,
  AttachRecordingUseCase,
  CallbackTasks,
  CallRepository,
  CallTaskQueue,
  Clock,
  CompleteCallbackTaskUseCase,
  ContactCreator,
  ContactOwnerLookup,
  CreateCallbackTaskUseCase,
  DistributedLock,
  ExtensionDirectory,
  IncomingLeads,
  KommoAccessTokens,
  KommoCallLog,
  NoteSyncDeps,
  RecordingLinks,
  SaveCallEventUseCase,
  SecureRandom,
  UpdateFromModalUseCase,
} from '@app/domain';
import { DEFAULT_KOMMO_INCOMING_LEADS_OPTIONS, KommoCallLogAdapter, KommoCallResultWritesAdapter, KommoContactCreator, KommoContactOwnerLookup, KommoHttp, KommoIncomingLeadsAdapter, KommoTasksClient } from '@app/kommo';
import { SecretCipher, TypeOrmCallbackTaskRecords, TypeOrmCallRepository, TypeOrmExtensionDirectory } from '@app/persistence';
import { SignedRecordingLinks } from '@app/voip';
import { hkdfSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import {
  ACCOUNT_SETTINGS_REPOSITORY,
  APP_CONFIG,
  CALL_REPOSITORY,
  CALLBACK_TASKS,
  CLOCK,
  CONTACT_CREATOR,
  CONTACT_OWNER_LOOKUP,
  DISTRIBUTED_LOCK,
  EXTENSION_DIRECTORY,
  INCOMING_LEADS,
  KOMMO_CALL_LOG,
  RECORDING_LINKS,
  SECURE_RANDOM,
  TASK_QUEUE,
} from '../../di-tokens';
import { KommoAuthenticationModule } from '../../kommo-authentication/kommo-authentication.module';
import { VoipTaskModule } from '../task/voip-task.module';
import { KommoCallbackTasks } from './kommo-callback-tasks';

const NOTE_SYNC = Symbol('NOTE_SYNC');

/**
 * The call pipeline's use cases and their adapters: PostgreSQL (calls, extensions, callback task records),
 * Kommo (calls, notes, incoming leads, tasks, contact owners), Bull (call tasks), signed recording links.
 */
const extensionLog = new Logger('ExtensionDirectory');

/** An identity two managers share by SIP user part only: nobody is credited by it (warn once per call). */
function logAmbiguousExtension(event: { accountId: number; identity: string; userIds: readonly number[]; callId: string | null }): void {
  extensionLog.warn(
    `account ${event.accountId}${event.callId ? `, call ${event.callId}` : ''}: identity "${event.identity}" matches users ${event.userIds.join(', ')} ` +
      'by SIP user part only; not credited (map the exact spelling to one manager)',
  );
}

@Module({
  imports: [VoipTaskModule, KommoAuthenticationModule],
  providers: [
    { provide: CALL_REPOSITORY, useFactory: (ds: DataSource) => new TypeOrmCallRepository(ds), inject: [DataSource] },
    { provide: EXTENSION_DIRECTORY, useFactory: (ds: DataSource) => new TypeOrmExtensionDirectory(ds, logAmbiguousExtension), inject: [DataSource] },
    { provide: KOMMO_CALL_LOG, useFactory: (http: KommoHttp, tokens: KommoAccessTokens) => new KommoCallLogAdapter(http, tokens), inject: [KommoHttp, KommoAccessTokens] },
    {
      provide: INCOMING_LEADS,
      useFactory: (http: KommoHttp, tokens: KommoAccessTokens, settings: AccountSettingsRepository) =>
        new KommoIncomingLeadsAdapter(http, tokens, {
          ...DEFAULT_KOMMO_INCOMING_LEADS_OPTIONS,
          pipelineIdOf: async (accountId) => (await settings.find(accountId))?.incomingLeadPipelineId ?? null,
        }),
      inject: [KommoHttp, KommoAccessTokens, ACCOUNT_SETTINGS_REPOSITORY],
    },
    {
      provide: CONTACT_OWNER_LOOKUP,
      useFactory: (http: KommoHttp, tokens: KommoAccessTokens) => new KommoContactOwnerLookup(http, tokens),
      inject: [KommoHttp, KommoAccessTokens],
    },
    { provide: CONTACT_CREATOR, useFactory: (http: KommoHttp, tokens: KommoAccessTokens) => new KommoContactCreator(http, tokens), inject: [KommoHttp, KommoAccessTokens] },
    {
      provide: CALLBACK_TASKS,
      useFactory: (http: KommoHttp, tokens: KommoAccessTokens, ds: DataSource, clock: Clock) =>
        new KommoCallbackTasks(new KommoTasksClient(http, tokens), new TypeOrmCallbackTaskRecords(ds), clock),
      inject: [KommoHttp, KommoAccessTokens, DataSource, CLOCK],
    },
    {
      provide: RECORDING_LINKS,
      // A key of its own, derived from the current secrets key: links change if that key is rotated.
      useFactory: (config: AppConfig) => {
        const [current] = SecretCipher.parseKeys(config.encryptionKeys).keys;
        const key = Buffer.from(hkdfSync('sha256', current.key, Buffer.alloc(0), 'kommo-voip/recording-links', 32));
        return new SignedRecordingLinks(config.publicBaseUrl, key);
      },
      inject: [APP_CONFIG],
    },
    {
      provide: NOTE_SYNC,
      useFactory: (calls: CallRepository, kommo: KommoCallLog, extensions: ExtensionDirectory, links: RecordingLinks, clock: Clock): NoteSyncDeps => ({
        calls,
        kommo,
        extensions,
        links,
        clock,
      }),
      inject: [CALL_REPOSITORY, KOMMO_CALL_LOG, EXTENSION_DIRECTORY, RECORDING_LINKS, CLOCK],
    },
    {
      provide: SaveCallEventUseCase,
      useFactory: (calls: CallRepository, tasks: CallTaskQueue, random: SecureRandom) => new SaveCallEventUseCase(calls, tasks, random),
      inject: [CALL_REPOSITORY, TASK_QUEUE, SECURE_RANDOM],
    },
    {
      provide: AddCallUseCase,
      useFactory: (
        calls: CallRepository,
        kommo: KommoCallLog,
        leads: IncomingLeads,
        settings: AccountSettingsRepository,
        extensions: ExtensionDirectory,
        links: RecordingLinks,
        tasks: CallTaskQueue,
        lock: DistributedLock,
        clock: Clock,
        contacts: ContactCreator,
        config: AppConfig,
      ) =>
        new AddCallUseCase(calls, kommo, leads, settings, extensions, links, tasks, lock, clock, contacts, {
          ...DEFAULT_ADD_CALL_OPTIONS,
          // A write that left within its send window has its answer (or has timed out) a request timeout later;
          // 15 s more covers a slow answer body and clock steps. With the 10 s default: 45 s.
          claimLeaseMs: DEFAULT_ADD_CALL_OPTIONS.sendWindowMs + config.kommo.requestTimeoutMs + 15_000,
        }),
      inject: [
        CALL_REPOSITORY,
        KOMMO_CALL_LOG,
        INCOMING_LEADS,
        ACCOUNT_SETTINGS_REPOSITORY,
        EXTENSION_DIRECTORY,
        RECORDING_LINKS,
        TASK_QUEUE,
        DISTRIBUTED_LOCK,
        CLOCK,
        CONTACT_CREATOR,
        APP_CONFIG,
      ],
    },
    {
      provide: AttachRecordingUseCase,
      useFactory: (deps: NoteSyncDeps, settings: AccountSettingsRepository) => new AttachRecordingUseCase(deps, settings),
      inject: [NOTE_SYNC, ACCOUNT_SETTINGS_REPOSITORY],
    },
    {
      provide: UpdateFromModalUseCase,
      useFactory: (deps: NoteSyncDeps, settings: AccountSettingsRepository, random: SecureRandom, http: KommoHttp, tokens: KommoAccessTokens) =>
        new UpdateFromModalUseCase(deps, settings, random, new KommoCallResultWritesAdapter(http, tokens)),
      inject: [NOTE_SYNC, ACCOUNT_SETTINGS_REPOSITORY, SECURE_RANDOM, KommoHttp, KommoAccessTokens],
    },
    {
      provide: CreateCallbackTaskUseCase,
      useFactory: (
        calls: CallRepository,
        tasks: CallbackTasks,
        owners: ContactOwnerLookup,
        extensions: ExtensionDirectory,
        settings: AccountSettingsRepository,
        lock: DistributedLock,
        clock: Clock,
      ) => new CreateCallbackTaskUseCase(calls, tasks, owners, extensions, settings, lock, clock),
      inject: [CALL_REPOSITORY, CALLBACK_TASKS, CONTACT_OWNER_LOOKUP, EXTENSION_DIRECTORY, ACCOUNT_SETTINGS_REPOSITORY, DISTRIBUTED_LOCK, CLOCK],
    },
    {
      provide: CompleteCallbackTaskUseCase,
      useFactory: (calls: CallRepository, tasks: CallbackTasks, lock: DistributedLock) => new CompleteCallbackTaskUseCase(calls, tasks, lock),
      inject: [CALL_REPOSITORY, CALLBACK_TASKS, DISTRIBUTED_LOCK],
    },
  ],
  exports: [
    CALL_REPOSITORY,
    RECORDING_LINKS,
    EXTENSION_DIRECTORY,
    SaveCallEventUseCase,
    AddCallUseCase,
    AttachRecordingUseCase,
    UpdateFromModalUseCase,
    CreateCallbackTaskUseCase,
    CompleteCallbackTaskUseCase,
  ],
})
export class CallPipelineModule {}
