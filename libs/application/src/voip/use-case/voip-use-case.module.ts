import { Module } from '@nestjs/common';
import {
  AccountSettingsRepository,
  CallWebhookInbox,
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
import { BoundedTaskQueue } from '../task/bounded-task-queue';
import { VoipTaskModule } from '../task/voip-task.module';
import {
  ACCOUNT_SETTINGS_REPOSITORY,
  CALL_WEBHOOK_INBOX,
  TASK_QUEUE,
  CLOCK,
  KOMMO_USER_REPOSITORY,
  SECURE_RANDOM,
  VOIP_CONNECTION_REPOSITORY,
} from '../../di-tokens';

/** On the webhook request path, enqueueing waits at most this long (then the inbox relay takes over). */
const WEBHOOK_ENQUEUE_TIMEOUT_MS = 250;
/** The relay leaves rows this young to the request that wrote them. */
const RELAY_GRACE_MS = 5_000;

/** Spec node Voip/UseCase: domain use cases built from ports. */
@Module({
  imports: [VoipTaskModule],
  providers: [
    {
      provide: ReceiveCallWebhookUseCase,
      useFactory: (inbox: CallWebhookInbox, queue: TaskQueue) =>
        new ReceiveCallWebhookUseCase(inbox, new BoundedTaskQueue(queue, WEBHOOK_ENQUEUE_TIMEOUT_MS)),
      inject: [CALL_WEBHOOK_INBOX, TASK_QUEUE],
    },
    {
      provide: RelayCallWebhookInboxUseCase,
      useFactory: (inbox: CallWebhookInbox, queue: TaskQueue, clock: Clock) =>
        new RelayCallWebhookInboxUseCase(inbox, queue, clock, { graceMs: RELAY_GRACE_MS, batchSize: 500 }),
      inject: [CALL_WEBHOOK_INBOX, TASK_QUEUE, CLOCK],
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
  ],
})
export class VoipUseCaseModule {}
