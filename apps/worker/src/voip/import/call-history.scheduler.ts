import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, CALL_HISTORY_QUEUE_TOKEN, CallHistoryJob } from '@app/application';
import type { AppConfig, CallHistoryQueue } from '@app/application';

const TICK_JOB_ID = 'call-history-tick';

/**
 * Registers the repeatable tick once per deployment (Bull keys a repeatable job by name + interval, so every
 * worker registering it yields one schedule). A changed interval replaces the old schedule; 0 removes it.
 */
export class CallHistoryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('CallHistoryImport');

  constructor(
    @Inject(CALL_HISTORY_QUEUE_TOKEN) private readonly queue: CallHistoryQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const minutes = this.config.providers.callHistoryImportIntervalMinutes;
    const every = minutes * 60_000;
    try {
      for (const repeatable of await this.queue.getRepeatableJobs()) {
        if (repeatable.name === String(CallHistoryJob.Tick) && Number(repeatable.every) !== every) await this.queue.removeRepeatableByKey(repeatable.key);
      }
      if (minutes === 0) return;
      await this.queue.add(CallHistoryJob.Tick, {}, { repeat: { every }, jobId: TICK_JOB_ID, removeOnComplete: true, removeOnFail: 20 });
      this.logger.log(`call-history import and provider subscription checks every ${minutes} min`);
    } catch (error) {
      this.logger.warn(`could not schedule the call-history import: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
