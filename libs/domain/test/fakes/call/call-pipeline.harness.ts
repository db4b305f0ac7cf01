import { AccountSettings, defaultAccountSettings } from '../../../src/account-settings/account-settings';
import {
  AddCallItemResult,
  AddCallUseCase,
  AttachRecordingUseCase,
  CallEvent,
  CallTask,
  CallTaskName,
  CompleteCallbackTaskUseCase,
  CreateCallbackTaskUseCase,
  MAX_KOMMO_CALL_BATCH,
  ModalResultPayload,
  NoteSyncDeps,
  SaveCallEventUseCase,
  UpdateFromModalUseCase,
  updateFromModalCommandOf,
} from '../../../src/call';
import { DomainError } from '../../../src/shared/domain-error';
import { FixedClock } from '../fixed-clock';
import { InMemoryAccountSettingsRepository } from '../in-memory-account-settings.repository';
import { InMemoryDistributedLock } from '../in-memory-distributed-lock';
import { SequentialSecureRandom } from '../sequential-secure-random';
import { FakeKommo } from './fake-kommo';
import { FakeCallTaskQueue, FakeExtensionDirectory, FakeRecordingLinks } from './fakes';
import { InMemoryCallRepository } from './in-memory-call.repository';

/**
 * Every call use case wired to in-memory fakes, plus a tiny "worker" that drains the task queue the way
 * apps/worker would: one job per `<name>-<dedupeKey>` (Bull's jobId dedupe), AddCall jobs of an account
 * batched by 50, failed or retryable jobs retried on the next round.
 */
export class CallPipeline {
  readonly calls = new InMemoryCallRepository();
  readonly kommo = new FakeKommo();
  readonly queue = new FakeCallTaskQueue();
  readonly settings = new InMemoryAccountSettingsRepository();
  readonly extensions = new FakeExtensionDirectory();
  readonly links = new FakeRecordingLinks();
  readonly lock = new InMemoryDistributedLock();
  readonly clock = new FixedClock('2026-01-15T10:05:00.000Z');
  readonly random = new SequentialSecureRandom('call');

  readonly noteSync: NoteSyncDeps = { calls: this.calls, kommo: this.kommo, extensions: this.extensions, links: this.links, clock: this.clock };
  readonly saveCallEvent = new SaveCallEventUseCase(this.calls, this.queue, this.random);
  readonly addCall = new AddCallUseCase(
    this.calls,
    this.kommo,
    this.kommo,
    this.settings,
    this.extensions,
    this.links,
    this.queue,
    this.lock,
    this.clock,
    this.kommo,
  );
  readonly attachRecording = new AttachRecordingUseCase(this.noteSync, this.settings);
  readonly createCallbackTask = new CreateCallbackTaskUseCase(this.calls, this.kommo, this.kommo, this.extensions, this.settings, this.lock, this.clock);
  readonly completeCallbackTask = new CompleteCallbackTaskUseCase(this.calls, this.kommo, this.lock);
  readonly updateFromModal = new UpdateFromModalUseCase(this.noteSync, this.settings, this.random, this.kommo);

  /** Job ids that ran to completion. */
  readonly done = new Set<string>();
  readonly errors: { job: string; error: unknown }[] = [];
  readonly addCallResults: AddCallItemResult[] = [];

  async configure(accountId: number, patch: Partial<AccountSettings>): Promise<void> {
    const current = (await this.settings.find(accountId)) ?? defaultAccountSettings(accountId);
    await this.settings.save({ ...current, ...patch });
  }

  /** Runs SaveCallEvent per delivery; a retryable failure is retried like a job (up to 20 attempts). */
  async deliver(events: readonly CallEvent[], options: { concurrently?: boolean } = {}): Promise<void> {
    if (options.concurrently) {
      await Promise.all(events.map((event) => this.save(event)));
      return;
    }
    for (const event of events) await this.save(event);
  }

  /** SaveCallEvent failures that were retried (optimistic-concurrency conflicts under contention). */
  saveRetries = 0;

  private async save(event: CallEvent): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.saveCallEvent.execute({ event });
        return;
      } catch (error) {
        if (!(error instanceof DomainError) || !error.retryable || attempt >= 20) throw error;
        this.saveRetries += 1;
      }
    }
  }

  /** Runs queued jobs until none is left (or `rounds` passes). */
  async drain(rounds = 10): Promise<void> {
    for (let round = 0; round < rounds; round += 1) {
      const pending = this.pendingJobs();
      if (pending.length === 0) return;
      const addCalls = pending.filter((task) => task.name === CallTaskName.AddCall);
      const byAccount = new Map<number, CallTask[]>();
      for (const task of addCalls) byAccount.set(task.accountId, [...(byAccount.get(task.accountId) ?? []), task]);
      for (const [accountId, tasks] of byAccount) {
        for (let start = 0; start < tasks.length; start += MAX_KOMMO_CALL_BATCH) {
          const chunk = tasks.slice(start, start + MAX_KOMMO_CALL_BATCH);
          try {
            const { results } = await this.addCall.execute({ accountId, callIds: chunk.map((task) => task.dedupeKey) });
            this.addCallResults.push(...results);
            for (const result of results) if (!result.retryable) this.done.add(jobId(CallTaskName.AddCall, result.callId));
          } catch (error) {
            this.errors.push({ job: `add-call batch of ${chunk.length}`, error });
          }
        }
      }
      for (const task of pending.filter((candidate) => candidate.name !== CallTaskName.AddCall)) {
        try {
          await this.run(task);
          this.done.add(jobId(task.name, task.dedupeKey));
        } catch (error) {
          this.errors.push({ job: jobId(task.name, task.dedupeKey), error });
        }
      }
    }
  }

  pendingJobs(): CallTask[] {
    return this.queue.jobs().filter((task) => !this.done.has(jobId(task.name, task.dedupeKey)));
  }

  private async run(task: CallTask): Promise<void> {
    const { accountId } = task;
    switch (task.name) {
      case CallTaskName.AttachRecording:
        await this.attachRecording.execute({ accountId, callId: (task.payload as { callId: string }).callId });
        return;
      case CallTaskName.CreateCallbackTask:
        await this.createCallbackTask.execute({ accountId, callId: (task.payload as { callId: string }).callId });
        return;
      case CallTaskName.CompleteCallbackTask:
        await this.completeCallbackTask.execute({ accountId, callId: (task.payload as { callId: string }).callId });
        return;
      case CallTaskName.UpdateFromModal:
        await this.updateFromModal.execute(updateFromModalCommandOf(task.payload as ModalResultPayload));
        return;
      case CallTaskName.SaveCallEvent:
      case CallTaskName.AddCall:
        throw new Error(`the harness does not run ${task.name} from the queue`);
    }
  }
}

function jobId(name: string, dedupeKey: string): string {
  return `${name}-${dedupeKey}`;
}
