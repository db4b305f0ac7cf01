import { Inject, Logger } from '@nestjs/common';
import { Process, Processor } from '@nestjs/bull';
import { AccountPhoneCountries, CALL_WEBHOOK_INBOX, CLOCK, PARKED_TASK_REPOSITORY, QueueName, TaskJobData } from '@app/application';
import { CallEvent, CallWebhookKind, SaveCallEventUseCase, StoredCallWebhook, TaskName } from '@app/domain';
import type { CallWebhookInbox, Clock, ParkedTaskRepository } from '@app/domain';
import { genericPbxCallEvent, GenericPbxEventPayload, ringCentralCallLogEvent, ringCentralTelephonySessionEvent, twilioCallLogEvent, twilioCallStatusEvent, twilioRecordingEvent, zenviaCallEvent } from '@app/voip';
import type { Job } from 'bull';
import { LiveCallProgressPublisher } from './live-call-progress.publisher';
import { runTask } from './run-task';

/**
 * Spec node Console/Worker ProcessCallWebhookWorker: one inbox row → the provider adapter → a
 * provider-neutral event → SaveCallEvent (which queues AddCall when the call is over).
 */
@Processor(QueueName.CallWebhooks)
export class CallWebhooksProcessor {
  private readonly logger = new Logger('ProcessCallWebhook');

  constructor(
    private readonly saveCallEvent: SaveCallEventUseCase,
    @Inject(CALL_WEBHOOK_INBOX) private readonly inbox: CallWebhookInbox,
    @Inject(PARKED_TASK_REPOSITORY) private readonly parkedTasks: ParkedTaskRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly phoneCountries: AccountPhoneCountries,
    private readonly liveProgress: LiveCallProgressPublisher,
  ) {}

  @Process({ name: TaskName.ProcessCallWebhook, concurrency: 10 })
  handle(job: Job<TaskJobData>): Promise<void> {
    return runTask(this.deps(), job, TaskName.ProcessCallWebhook, isInboxPayload, async (task) => {
      const row = await this.inbox.findById(task.payload.inboxId);
      if (!row) {
        this.logger.warn(`inbox row ${task.payload.inboxId} is gone (account ${task.accountId}); nothing to do`);
        return;
      }
      const event = this.eventOf(row, await this.phoneCountries.countryOf(row.accountId));
      if (!event) {
        this.logger.warn(`inbox row ${row.id} (${row.kind}) carries no call event we understand; kept in the inbox for audit`);
        return;
      }
      const saved = await this.saveCallEvent.execute({ event });
      await this.liveProgress.afterCallEvent(event.accountId, saved.callId);
    });
  }

  /** `defaultCountry`: the row's account's phone country (numbers without a `+country` prefix are read in it). */
  private eventOf(row: StoredCallWebhook, defaultCountry: string): CallEvent | null {
    const context = {
      accountId: row.accountId,
      connectionId: row.connectionId,
      defaultCountry,
      receivedAt: row.receivedAt,
    };
    switch (row.kind) {
      case CallWebhookKind.TwilioCallStatus:
        return twilioCallStatusEvent(row.payload, context);
      case CallWebhookKind.TwilioRecordingStatus:
        return twilioRecordingEvent(row.payload, context);
      case CallWebhookKind.PbxEvent:
        return genericPbxCallEvent(row.payload as unknown as GenericPbxEventPayload, context);
      case CallWebhookKind.RingCentralTelephonySession:
        return ringCentralTelephonySessionEvent(row.payload, context);
      case CallWebhookKind.RingCentralCallLog:
        return ringCentralCallLogEvent(row.payload, context);
      case CallWebhookKind.ZenviaCall:
        return zenviaCallEvent(row.payload, context);
      case CallWebhookKind.TwilioCallLog:
        return twilioCallLogEvent(row.payload, context);
      case CallWebhookKind.ZenviaUnrecognised:
        return null; // stored raw and counted when received; nothing to log
      default:
        return null;
    }
  }

  private deps() {
    return { parkedTasks: this.parkedTasks, clock: this.clock, logger: this.logger };
  }
}

function isInboxPayload(payload: unknown): boolean {
  const inboxId = (payload as { inboxId?: unknown } | null)?.inboxId;
  return typeof inboxId === 'string' && /^\d{1,19}$/.test(inboxId);
}
