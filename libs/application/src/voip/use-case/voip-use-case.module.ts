import { Module } from '@nestjs/common';
import {
  AccountSettingsRepository,
  CallWebhookInbox,
  CallWebhookSpool,
  DrainCallWebhookSpoolUseCase,
  QueueDataMarker,
  RebuildLostQueueUseCase,
  ReceiveCallWebhookUseCase,
  RelayCallWebhookInboxUseCase,
  TaskQueue,
  Clock,
  ConfigureVoipConnectionUseCase,
  GetAccountSettingsUseCase,
  KommoUserRepository,
  SecureRandom,
  UpdateAccountSettingsUseCase,
  VoipConnectionRepository,
} from '@app/domain';
import { RedisCallWebhookSpool, RedisQueueDataMarker } from '@app/persistence';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { AppMetrics } from '../../observability/app-metrics';
import { BoundedTaskQueue } from '../task/bounded-task-queue';
import { CallWebhookSpoolMetrics } from './call-webhook-spool.metrics';
import { TimeBoundedCallWebhookInbox } from './time-bounded-call-webhook-inbox';
import { VoipTaskModule } from '../task/voip-task.module';
import {
  ACCOUNT_SETTINGS_REPOSITORY,
  APP_CONFIG,
  CALL_WEBHOOK_INBOX,
  CALL_WEBHOOK_SPOOL,
  QUEUE_DATA_MARKER,
  TASK_QUEUE,
  CLOCK,
  KOMMO_USER_REPOSITORY,
  SECURE_RANDOM,
  REDIS,
  VOIP_CONNECTION_REPOSITORY,
} from '../../di-tokens';

export { CallWebhookSpoolMetrics } from './call-webhook-spool.metrics';

/** On the webhook request path, enqueueing waits at most this long (then the inbox relay takes over). */
const WEBHOOK_ENQUEUE_TIMEOUT_MS = 250;
/** The relay leaves rows this young to the request that wrote them. */
const RELAY_GRACE_MS = 5_000;
/**
 * When Redis lost its data, the inbox's deliveries of this window are replayed through the pipeline (idempotent):
 * a call still unlogged after a day is not expected; older ones are `tasks:replay`'s job.
 */
const LOST_QUEUE_REPLAY_WINDOW_MS = 24 * 3_600_000;
/**
 * On the webhook request path the inbox insert waits at most this long, then the delivery goes to the spool
 * (bounded by WEBHOOK_SPOOL_PUT_TIMEOUT_MS): with PostgreSQL hung the ack still leaves within ~1 s, the
 * connection lookup's own bound included (ProcessWebhookHandler).
 */
const WEBHOOK_INBOX_TIMEOUT_MS = 400;
const WEBHOOK_SPOOL_PUT_TIMEOUT_MS = 250;
/** The spool's bound (≈ 100–150 MB of Redis at ~1 KB a delivery): beyond it deliveries are refused (503). */
const WEBHOOK_SPOOL_MAX_ENTRIES = 100_000;
/** Spooled deliveries moved to the inbox per sample. */
const SPOOL_DRAIN_BATCH = 200;

/** Spec node Voip/UseCase: domain use cases built from ports. */
@Module({
  imports: [VoipTaskModule],
  providers: [
    {
      provide: CALL_WEBHOOK_SPOOL,
      useFactory: (redis: Redis, config: AppConfig) =>
        new RedisCallWebhookSpool(redis, config.queuePrefix, { maxEntries: WEBHOOK_SPOOL_MAX_ENTRIES, putTimeoutMs: WEBHOOK_SPOOL_PUT_TIMEOUT_MS }),
      inject: [REDIS, APP_CONFIG],
    },
    {
      provide: CallWebhookSpoolMetrics,
      useFactory: (spool: CallWebhookSpool, metrics?: AppMetrics) => new CallWebhookSpoolMetrics(metrics?.registry ?? null, spool),
      inject: [CALL_WEBHOOK_SPOOL, { token: AppMetrics, optional: true }],
    },
    {
      provide: ReceiveCallWebhookUseCase,
      useFactory: (inbox: CallWebhookInbox, queue: TaskQueue, spool: CallWebhookSpool) =>
        new ReceiveCallWebhookUseCase(
          new TimeBoundedCallWebhookInbox(inbox, WEBHOOK_INBOX_TIMEOUT_MS),
          new BoundedTaskQueue(queue, WEBHOOK_ENQUEUE_TIMEOUT_MS),
          spool,
        ),
      inject: [CALL_WEBHOOK_INBOX, TASK_QUEUE, CALL_WEBHOOK_SPOOL],
    },
    {
      provide: DrainCallWebhookSpoolUseCase,
      useFactory: (spool: CallWebhookSpool, inbox: CallWebhookInbox, queue: TaskQueue, clock: Clock) =>
        new DrainCallWebhookSpoolUseCase(spool, inbox, queue, clock, { batchSize: SPOOL_DRAIN_BATCH }),
      inject: [CALL_WEBHOOK_SPOOL, CALL_WEBHOOK_INBOX, TASK_QUEUE, CLOCK],
    },
    {
      provide: RelayCallWebhookInboxUseCase,
      useFactory: (inbox: CallWebhookInbox, queue: TaskQueue, clock: Clock) =>
        new RelayCallWebhookInboxUseCase(inbox, queue, clock, { graceMs: RELAY_GRACE_MS, batchSize: 500 }),
      inject: [CALL_WEBHOOK_INBOX, TASK_QUEUE, CLOCK],
    },
    {
      provide: QUEUE_DATA_MARKER,
      useFactory: (redis: Redis, config: AppConfig) => new RedisQueueDataMarker(redis, config.queuePrefix),
      inject: [REDIS, APP_CONFIG],
    },
    {
      provide: RebuildLostQueueUseCase,
      useFactory: (marker: QueueDataMarker, inbox: CallWebhookInbox, queue: TaskQueue, clock: Clock) =>
        new RebuildLostQueueUseCase(marker, inbox, queue, clock, { windowMs: LOST_QUEUE_REPLAY_WINDOW_MS, batchSize: 500 }),
      inject: [QUEUE_DATA_MARKER, CALL_WEBHOOK_INBOX, TASK_QUEUE, CLOCK],
    },
    {
      provide: GetAccountSettingsUseCase,
      useFactory: (settings: AccountSettingsRepository, connections: VoipConnectionRepository) =>
        new GetAccountSettingsUseCase(settings, connections),
      inject: [ACCOUNT_SETTINGS_REPOSITORY, VOIP_CONNECTION_REPOSITORY],
    },
    {
      provide: UpdateAccountSettingsUseCase,
      useFactory: (settings: AccountSettingsRepository, users: KommoUserRepository, clock: Clock) =>
        new UpdateAccountSettingsUseCase(settings, users, clock),
      inject: [ACCOUNT_SETTINGS_REPOSITORY, KOMMO_USER_REPOSITORY, CLOCK],
    },
    {
      provide: ConfigureVoipConnectionUseCase,
      useFactory: (connections: VoipConnectionRepository, random: SecureRandom, clock: Clock) =>
        new ConfigureVoipConnectionUseCase(connections, random, clock),
      inject: [VOIP_CONNECTION_REPOSITORY, SECURE_RANDOM, CLOCK],
    },
  ],
  exports: [
    GetAccountSettingsUseCase,
    UpdateAccountSettingsUseCase,
    ConfigureVoipConnectionUseCase,
    ReceiveCallWebhookUseCase,
    RelayCallWebhookInboxUseCase,
    RebuildLostQueueUseCase,
    DrainCallWebhookSpoolUseCase,
    CallWebhookSpoolMetrics,
    CALL_WEBHOOK_SPOOL,
  ],
})
export class VoipUseCaseModule {}
