import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, CALL_HISTORY_QUEUE_TOKEN, CallHistoryJob } from '@app/application';
import type { AppConfig, CallHistoryQueue } from '@app/application';

const TICK_JOB_ID = 'call-history-tick';

/** How often the schedule is checked again (Redis may have lost it: the repeatable job lives there). */
const RECHECK_MS = 60_000;

/**
 * Registers the repeatable tick once per deployment (Bull keys a repeatable job by name + interval, so every
 * worker registering it yields one schedule). A changed interval replaces the old schedule; 0 removes it.
 * Checked again every minute: a Redis that lost its data lost the schedule too.
 */
export class CallHistoryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CallHistoryImport');
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    @Inject(CALL_HISTORY_QUEUE_TOKEN) private readonly queue: CallHistoryQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule(true);
    this.timer = setInterval(() => void this.schedule(false), RECHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async schedule(atStart: boolean): Promise<void> {
    const minutes = this.config.providers.callHistoryImportIntervalMinutes;
    const every = minutes * 60_000;
    try {
      let present = false;
      for (const repeatable of await this.queue.getRepeatableJobs()) {
        if (repeatable.name !== String(CallHistoryJob.Tick)) continue;
        if (Number(repeatable.every) !== every) await this.queue.removeRepeatableByKey(repeatable.key);
        else present = true;
      }
      if (minutes === 0 || (present && !atStart)) return;
      await this.queue.add(CallHistoryJob.Tick, {}, { repeat: { every }, jobId: TICK_JOB_ID, removeOnComplete: true, removeOnFail: 20 });
      if (atStart) this.logger.log(`call-history import and provider subscription checks every ${minutes} min`);
      else this.logger.warn(`the call-history schedule was missing in Redis (its data was lost?): registered again, every ${minutes} min`);
    } catch (error) {
      this.logger.warn(`could not schedule the call-history import: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
