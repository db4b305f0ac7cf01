import { BullModule, getQueueToken } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { Queue } from 'bull';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG, TASK_QUEUE } from '../../di-tokens';
import { BullTaskQueue } from './bull-task-queue';
import { ALL_QUEUES, QueueName } from './queue-name';

/** Spec node Voip/Task: the queues and the TaskQueue producer. Imported by api, worker and cli; no processors. */
@Module({
  imports: [
    BullModule.forRootAsync({
      useFactory: (config: AppConfig) => ({ url: config.redisUrl, prefix: config.queuePrefix }),
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
