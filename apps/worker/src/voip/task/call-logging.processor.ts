import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { CLOCK, PARKED_TASK_REPOSITORY, QueueName, TaskJobData } from '@app/application';
import {
  AddCallUseCase,
  AttachRecordingUseCase,
  CallTaskName,
  CompleteCallbackTaskUseCase,
  CreateCallbackTaskUseCase,
  ModalResultPayload,
  updateFromModalCommandOf,
  UpdateFromModalUseCase,
} from '@app/domain';
import type { Clock, ParkedTaskRepository } from '@app/domain';
import { KommoApiError } from '@app/kommo';
import type { Job, Queue } from 'bull';
import { AddCallBatcher } from './add-call.batcher';
import { KommoBlockDetector } from './kommo-block.detector';
import { runTask } from './run-task';

/**
 * Calls per POST /api/v4/calls and how long a batch waits to fill (issue 4: ≤ 50, short window): a lone
 * call leaves after 250 ms; during a burst (queues still have waiting work) a batch waits up to 5 s to fill.
 */
const ADD_CALL_BATCH = { maxBatch: 50, flushMs: 250, maxWaitMs: 5_000 } as const;

export class RetryCallLaterError extends Error {
  /** Read by the queue's backoff (taskBackoffDelay): the next attempt comes no sooner. */
  readonly retryAfterMs: number | undefined;

  constructor(callId: string, detail: string, retryAfterMs?: number) {
    super(`call ${callId}: ${detail}`);
    this.name = 'RetryCallLaterError';
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Spec node Console/Worker AddCallWorker and UpdateFromModalWorker (+ recordings and callback tasks):
 * everything the call pipeline writes to Kommo. AddCall jobs of one account that run together share one
 * Kommo request (batcher); each job keeps its own result and retry.
 */
@Processor(QueueName.CallLogging)
export class CallLoggingProcessor implements OnApplicationShutdown {
  private readonly logger = new Logger('CallLogging');
  private readonly batcher: AddCallBatcher;

  constructor(
    private readonly addCall: AddCallUseCase,
    private readonly attachRecording: AttachRecordingUseCase,
    private readonly createCallbackTask: CreateCallbackTaskUseCase,
    private readonly completeCallbackTask: CompleteCallbackTaskUseCase,
    private readonly updateFromModal: UpdateFromModalUseCase,
    @Inject(PARKED_TASK_REPOSITORY) private readonly parkedTasks: ParkedTaskRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectQueue(QueueName.CallWebhooks) webhooks: Queue,
    @InjectQueue(QueueName.CallLogging) logging: Queue,
    private readonly blocks: KommoBlockDetector,
  ) {
    // Webhooks still queued or being processed may end calls; AddCall jobs waiting for a slot will join.
    // (Active AddCall jobs are the ones in the batcher: they do not count.)
    const moreComing = async () => {
      const [webhookCounts, loggingWaiting] = await Promise.all([webhooks.getJobCounts(), logging.getWaitingCount()]);
      return webhookCounts.waiting + webhookCounts.active + loggingWaiting > 0;
    };
    // Kommo answers 504 when a batch is too large for it at the moment: send smaller batches (quality.md §0).
    const tooLarge = (error: unknown) => error instanceof KommoApiError && error.status === 504;
    this.batcher = new AddCallBatcher((accountId, callIds) => this.addCall.execute({ accountId, callIds }), { ...ADD_CALL_BATCH, moreComing, tooLarge });
  }

  onApplicationShutdown(): void {
    this.batcher.flushAll();
  }

  /**
   * Concurrency of several batches: jobs of batches being sent stay active until Kommo answers, and the
   * next batch must still be able to fill. These jobs mostly wait (batcher, rate limiter), they hold no CPU.
   */
  @Process({ name: CallTaskName.AddCall, concurrency: 500 })
  handleAddCall(job: Job<TaskJobData>): Promise<void> {
    return runTask(this.deps(), job, CallTaskName.AddCall, isCallPayload, async (task) => {
      const result = await this.batcher.submit(task.payload.accountId, task.payload.callId);
      if (result.retryable) {
        // A call another worker claimed comes back once the claim's lease is over (its claimant may have died).
        throw new RetryCallLaterError(result.callId, result.detail ?? result.outcome, result.retryAfterMs);
      }
      if (result.outcome === 'unsupported_policy') this.logger.warn(`call ${result.callId}: ${result.detail ?? 'policy not supported yet'}`);
    });
  }

  @Process({ name: CallTaskName.AttachRecording, concurrency: 5 })
  handleAttachRecording(job: Job<TaskJobData>): Promise<void> {
    return runTask(this.deps(), job, CallTaskName.AttachRecording, isCallPayload, (task) => this.attachRecording.execute(task.payload));
  }

  @Process({ name: CallTaskName.CreateCallbackTask, concurrency: 5 })
  handleCreateCallbackTask(job: Job<TaskJobData>): Promise<void> {
    return runTask(this.deps(), job, CallTaskName.CreateCallbackTask, isCallPayload, (task) => this.createCallbackTask.execute(task.payload));
  }

  @Process({ name: CallTaskName.CompleteCallbackTask, concurrency: 5 })
  handleCompleteCallbackTask(job: Job<TaskJobData>): Promise<void> {
    return runTask(this.deps(), job, CallTaskName.CompleteCallbackTask, isCallPayload, (task) => this.completeCallbackTask.execute(task.payload));
  }

  @Process({ name: CallTaskName.UpdateFromModal, concurrency: 5 })
  handleUpdateFromModal(job: Job<TaskJobData>): Promise<void> {
    return runTask(this.deps(), job, CallTaskName.UpdateFromModal, isModalPayload, (task) => this.updateFromModal.execute(updateFromModalCommandOf(task.payload)));
  }

  private deps() {
    const confirmBlocked = (accountId: number, error: unknown) =>
      KommoBlockDetector.isForbidden(error) ? this.blocks.confirm(accountId) : Promise.resolve(false);
    return { parkedTasks: this.parkedTasks, clock: this.clock, logger: this.logger, confirmBlocked };
  }
}

function isCallPayload(payload: unknown): boolean {
  const { accountId, callId } = (payload ?? {}) as { accountId?: unknown; callId?: unknown };
  return typeof accountId === 'number' && Number.isSafeInteger(accountId) && accountId > 0 && typeof callId === 'string' && callId.length > 0;
}

function isModalPayload(payload: unknown): boolean {
  const modal = (payload ?? {}) as Partial<ModalResultPayload>;
  const reference = typeof modal.callId === 'string' || (typeof modal.provider === 'string' && typeof modal.providerCallId === 'string');
  const entity = modal.entity;
  const entityOk = entity === undefined || entity === null || (typeof entity.type === 'string' && typeof entity.id === 'number');
  const task = modal.task;
  const taskOk =
    task === undefined ||
    task === null ||
    (typeof task.typeId === 'number' && typeof task.dueAt === 'string' && typeof task.text === 'string' && (task.responsibleUserId === null || typeof task.responsibleUserId === 'number'));
  return typeof modal.accountId === 'number' && typeof modal.submissionId === 'string' && typeof modal.userId === 'number' && reference && entityOk && taskOk;
}
