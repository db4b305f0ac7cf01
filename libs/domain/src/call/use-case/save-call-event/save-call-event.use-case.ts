import { SecureRandom } from '../../../shared/secure-random.port';
import { Call } from '../../call';
import { CallVersionConflictError } from '../../call.errors';
import { CallEvent } from '../../call-event';
import { tasksAfterEvent } from '../../call-follow-ups';
import { CallTaskName } from '../../call-task';
import { CallRepository } from '../../port/call.repository.port';
import { CallTaskQueue } from '../../port/call-task-queue.port';

export interface SaveCallEventResult {
  readonly callId: string;
  /** false: this delivery was applied before (a duplicate); nothing changed. */
  readonly applied: boolean;
  readonly enqueued: readonly CallTaskName[];
}

/**
 * A provider reported progress of a call (spec: Voip/UseCase SaveCallEvent). Merges the event into the Call
 * (created on first sight; child legs join their parent's call), saves it, and enqueues AddCall once the call
 * is over, or a note update when a logged call learned something new (e.g. a late recording).
 * Idempotent: a delivery applied before changes nothing; follow-ups are re-enqueued (their dedupe keys hold).
 */
export class SaveCallEventUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly tasks: CallTaskQueue,
    private readonly random: SecureRandom,
    private readonly options: { conflictAttempts: number } = { conflictAttempts: 5 },
  ) {}

  async execute(command: { event: CallEvent }): Promise<SaveCallEventResult> {
    const { event } = command;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const call = (await this.find(event)) ?? this.start(event);
        const applied = call.apply(event);
        if (applied) await this.calls.save(call);
        const tasks = tasksAfterEvent(call);
        for (const task of tasks) await this.tasks.enqueue(task);
        return { callId: call.id, applied, enqueued: tasks.map((task) => task.name) };
      } catch (error) {
        if (!(error instanceof CallVersionConflictError) || attempt >= this.options.conflictAttempts) throw error;
      }
    }
  }

  /** The parent's call first (legs of one customer call are one call), then the leg's own. */
  private async find(event: CallEvent): Promise<Call | null> {
    if (event.parentProviderCallId !== null) {
      const byParent = await this.calls.findByProviderCallId(event.accountId, event.provider, event.parentProviderCallId);
      if (byParent) return byParent;
    }
    return this.calls.findByProviderCallId(event.accountId, event.provider, event.providerCallId);
  }

  private start(event: CallEvent): Call {
    return Call.start({
      id: this.random.token(16),
      accountId: event.accountId,
      provider: event.provider,
      providerCallId: event.providerCallId,
      connectionId: event.connectionId,
    });
  }
}
