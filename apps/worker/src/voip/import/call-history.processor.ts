import { Inject, Logger, Optional } from '@nestjs/common';
import { Process, Processor } from '@nestjs/bull';
import {
  APP_CONFIG,
  CALL_HISTORY_QUEUE,
  CALL_HISTORY_QUEUE_TOKEN,
  CALL_WEBHOOK_INBOX,
  CallHistoryJob,
  CLOCK,
  PROVIDER_STATE_REPOSITORY,
  RINGCENTRAL_CALL_LOG,
  RINGCENTRAL_SUBSCRIPTIONS,
  TASK_QUEUE,
  VOIP_CONNECTION_REPOSITORY,
} from '@app/application';
import { AppMetrics } from '@app/application';
import type { AppConfig, CallHistoryJobData, CallHistoryQueue } from '@app/application';
import { ImportCallHistoryUseCase, processCallWebhookTask, ProviderSubscriptionStatus, VoipProvider } from '@app/domain';
import type { CallWebhookInbox, Clock, TaskQueue, VoipConnection, VoipConnectionRepository } from '@app/domain';
import type { TypeOrmVoipProviderStateRepository } from '@app/persistence';
import { ringCentralHistoryRecord, voipWebhookUrls } from '@app/voip';
import type { RingCentralCallLogSource, RingCentralSubscriptions } from '@app/voip';
import type { Job } from 'bull';

/**
 * The scheduled side of provider reconciliation (repeatable `tick` every CALL_HISTORY_IMPORT_INTERVAL_MINUTES):
 * one import per connection (the call log → the inbox → the call pipeline), one subscription check per
 * RingCentral connection (renewed, or re-created when blacklisted/expired), and the recording look-up after a
 * RingCentral call ended (retried with back-off until the call log shows the call).
 */
@Processor(CALL_HISTORY_QUEUE)
export class CallHistoryProcessor {
  private readonly logger = new Logger('CallHistoryImport');

  constructor(
    private readonly importCallHistory: ImportCallHistoryUseCase,
    @Inject(CALL_HISTORY_QUEUE_TOKEN) private readonly queue: CallHistoryQueue,
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    @Inject(PROVIDER_STATE_REPOSITORY) private readonly state: TypeOrmVoipProviderStateRepository,
    @Inject(RINGCENTRAL_SUBSCRIPTIONS) private readonly subscriptions: RingCentralSubscriptions,
    @Inject(RINGCENTRAL_CALL_LOG) private readonly ringCentralLog: RingCentralCallLogSource,
    @Inject(CALL_WEBHOOK_INBOX) private readonly inbox: CallWebhookInbox,
    @Inject(TASK_QUEUE) private readonly tasks: TaskQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: AppMetrics,
  ) {}

  @Process({ name: CallHistoryJob.Tick, concurrency: 1 })
  async tick(job: Job): Promise<void> {
    const stamp = job.timestamp;
    for (const { connectionId, accountId, provider } of await this.state.listConnections()) {
      const options = { jobId: `${connectionId}:${stamp}`, attempts: 2, backoff: { type: 'fixed', delay: 30_000 }, removeOnComplete: true, removeOnFail: 50 };
      if (provider === String(VoipProvider.RingCentral)) {
        await this.queue.add(CallHistoryJob.EnsureSubscription, { accountId, connectionId }, { ...options, jobId: `subscription:${options.jobId}` });
      }
      await this.queue.add(CallHistoryJob.ImportConnection, { accountId, connectionId }, { ...options, jobId: `import:${options.jobId}` });
    }
  }

  @Process({ name: CallHistoryJob.ImportConnection, concurrency: 2 })
  async importConnection(job: Job<CallHistoryJobData>): Promise<void> {
    const connection = await this.connectionOf(job.data);
    if (!connection || !this.importCallHistory.supports(connection)) return;
    const report = await this.importCallHistory.execute({ connection });
    if (report.backfilled > 0) this.metrics?.callsBackfilled.inc({ provider: report.provider }, report.backfilled);
    const message = `account ${report.accountId} (${report.provider}) ${report.since} → ${report.until}: ${report.seen} in the call log, ${report.backfilled} backfilled, ${report.recordingsBackfilled} recordings, ${report.alreadyKnown} already known, ${report.inProgress} in progress`;
    if (report.backfilled > 0 || report.recordingsBackfilled > 0) this.logger.warn(`reconciled missing calls: ${message}`);
    else this.logger.log(message);
  }

  @Process({ name: CallHistoryJob.EnsureSubscription, concurrency: 2 })
  async ensureSubscription(job: Job<CallHistoryJobData>): Promise<void> {
    const connection = await this.connectionOf(job.data);
    if (!connection || connection.provider !== VoipProvider.RingCentral) return;
    const { webhookUrl } = voipWebhookUrls(VoipProvider.RingCentral, this.config.publicBaseUrl, connection.pathKey);
    const subscription = await this.subscriptions.ensure(connection, webhookUrl);
    const line = `RingCentral subscription of account ${connection.accountId}: ${subscription.status}${subscription.error ? ` (${subscription.error})` : ''}`;
    if (subscription.status === ProviderSubscriptionStatus.Active) this.logger.log(line);
    else this.logger.warn(line);
  }

  @Process({ name: CallHistoryJob.RingCentralRecording, concurrency: 2 })
  async ringCentralRecording(job: Job<CallHistoryJobData>): Promise<void> {
    const connection = await this.connectionOf(job.data);
    const sessionId = job.data.telephonySessionId;
    if (!connection || connection.provider !== VoipProvider.RingCentral || !sessionId) return;
    const record = await this.ringCentralLog.findSession(connection, sessionId, new Date(job.data.endedAt ?? this.clock.now().toISOString()));
    if (!record) throw new Error(`session ${sessionId} is not in the call log yet`); // retried with back-off
    const entry = ringCentralHistoryRecord(record);
    if (!entry?.hasRecording) return; // no recording for this call
    const { id, duplicate } = await this.inbox.add({
      accountId: connection.accountId,
      connectionId: connection.id,
      provider: connection.provider,
      kind: entry.kind,
      dedupeKey: entry.dedupeKey,
      payload: entry.payload,
      receivedAt: this.clock.now(),
    });
    if (!duplicate) await this.tasks.enqueue(processCallWebhookTask(connection.accountId, id));
  }

  /** The job's connection if it still exists (a re-configured account has a new one: the job is void). */
  private async connectionOf(data: CallHistoryJobData): Promise<VoipConnection | null> {
    const connection = await this.connections.findForAccount(data.accountId);
    return connection && connection.id === data.connectionId ? connection : null;
  }
}
