import { BullModule, getQueueToken } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG, TASK_QUEUE } from '../../di-tokens';
import { BullTaskQueue } from './bull-task-queue';
import { TASK_BACKOFF, taskBackoffDelay } from './default-task-options';
import { ALL_QUEUES, QueueName } from './queue-name';

/**
 * A job whose worker died (SIGKILL, OOM) is taken over after at most lockDuration + stalledInterval = 30 s
 * (Bull's defaults: 60 s). The lock is renewed every lockDuration / 2 while a job runs, so long jobs are safe.
 * A job may stall several times in a row (repeated crashes) before it fails: re-running it is harmless, the
 * call ledger keeps a call from being logged twice.
 */
const QUEUE_SETTINGS = {
  lockDuration: 15_000,
  stalledInterval: 15_000,
  maxStalledCount: 5,
  backoffStrategies: { [TASK_BACKOFF]: taskBackoffDelay },
};

/** Spec node Voip/Task: the queues and the TaskQueue producer. Imported by api, worker and cli; no processors. */
@Module({
  imports: [
    BullModule.forRootAsync({
      useFactory: (config: AppConfig) => ({ url: config.redisUrl, prefix: config.queuePrefix, settings: QUEUE_SETTINGS }),
      inject: [APP_CONFIG],
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [
    {
      provide: TASK_QUEUE,
      useFactory: (...queues: Queue[]) =>
        new BullTaskQueue(new Map(ALL_QUEUES.map((name, index) => [name, queues[index]] as [QueueName, Queue]))),
      inject: ALL_QUEUES.map((name) => getQueueToken(name)),
    },
  ],
  exports: [TASK_QUEUE, BullModule],
})
export class VoipTaskModule {}
