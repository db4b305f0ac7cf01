import { defaultAccountSettings } from '../../../account-settings/account-settings';
import { Clock } from '../../../shared/clock.port';
import { DistributedLock } from '../../../shared/distributed-lock.port';
import { CallVersionConflictError } from '../../call.errors';
import { mutateCall } from '../../call-mutation';
import { KommoEntityRef } from '../../kommo-call';
import { KommoDelivery, KommoDeliveryStatus } from '../../kommo-delivery';
import { AccountSettingsReader } from '../../port/account-settings-reader.port';
import { CallRepository } from '../../port/call.repository.port';
import { CallbackTasks } from '../../port/callback-tasks.port';
import { ContactOwnerLookup } from '../../port/contact-owner-lookup.port';
import { ExtensionDirectory } from '../../port/extension-directory.port';

export type CreateCallbackTaskOutcome =
  | 'created'
  /** The caller already has an open callback task: one per caller. */
  | 'already_open'
  /** A later call with this number was already answered. */
  | 'already_called_back'
  /** Decided before (this job is a retry or duplicate). */
  | 'already_handled'
  | 'not_missed'
  /** The account turned callback tasks off (missedCallTaskDelayMinutes = null). */
  | 'disabled'
  | 'not_found';

export interface CreateCallbackTaskOptions {
  readonly lockTtlMs: number;
  readonly lockWaitMs: number;
}

/**
 * A missed inbound call gets a callback task (spec use case "Creating a Callback Task if the call was
 * missed"): for the contact's owner, else the manager mapped to the agent's extension, else the account
 * default; due `missedCallTaskDelayMinutes` after the call ended; on the entity the call was logged on.
 * At most one open task per caller (serialised per number with a lock), decided once per call.
 */
export class CreateCallbackTaskUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly tasks: CallbackTasks,
    private readonly owners: ContactOwnerLookup,
    private readonly extensions: ExtensionDirectory,
    private readonly settings: AccountSettingsReader,
    private readonly lock: DistributedLock,
    private readonly clock: Clock,
    private readonly options: CreateCallbackTaskOptions = { lockTtlMs: 30_000, lockWaitMs: 10_000 },
  ) {}

  async execute(command: { accountId: number; callId: string }): Promise<{ outcome: CreateCallbackTaskOutcome; taskId?: number }> {
    const { accountId, callId } = command;
    const call = await this.calls.findById(accountId, callId);
    if (!call) return { outcome: 'not_found' };
    const phone = call.customerNumber;
    const missedAt = call.endedAt ?? call.startedAt;
    if (!call.isMissed || !phone || !missedAt) return { outcome: 'not_missed' };
    if (call.callbackTask) return { outcome: 'already_handled' };
    const settings = (await this.settings.find(accountId)) ?? defaultAccountSettings(accountId);
    const delay = settings.missedCallTaskDelayMinutes;
    if (delay === null) return { outcome: 'disabled' };

    return this.lock.run(
      `voip-callback-${accountId}-${phone}`,
      { ttlMs: this.options.lockTtlMs, waitMs: this.options.lockWaitMs },
      async () => {
        const decide = async (outcome: CreateCallbackTaskOutcome, taskId: number | null) => {
          const saved = await mutateCall(this.calls, accountId, callId, (fresh) => fresh.markCallbackHandled(taskId, this.clock.now()));
          if (!saved) throw new CallVersionConflictError(callId);
          return taskId === null ? { outcome } : { outcome, taskId };
        };
        if (await this.calls.existsAnsweredCallWithNumber(accountId, phone, missedAt)) return decide('already_called_back', null);
        const open = await this.tasks.findOpenForCaller(accountId, phone);
        if (open) return decide(open.missedCallId === callId ? 'created' : 'already_open', open.missedCallId === callId ? open.taskId : null);

        const extension = call.agentExtension;
        const responsibleUserId =
          (await this.owners.findResponsibleUserId(accountId, phone)) ??
          (extension ? await this.extensions.findUserId(accountId, extension) : null) ??
          settings.defaultResponsibleUserId;
        const { taskId } = await this.tasks.create(accountId, {
          phone,
          missedCallId: callId,
          missedAt,
          responsibleUserId,
          completeTill: new Date(missedAt.getTime() + delay * 60_000),
          text: `Call back ${phone}: missed call`,
          entity: entityOf(call.delivery),
        });
        return decide('created', taskId);
      },
    );
  }
}

function entityOf(delivery: KommoDelivery): KommoEntityRef | null {
  switch (delivery.status) {
    case KommoDeliveryStatus.Sent:
      return delivery.note.entity;
    case KommoDeliveryStatus.UnknownNumberLead:
      return { type: 'lead', id: delivery.lead.leadId };
    case KommoDeliveryStatus.Pending:
    case KommoDeliveryStatus.Sending:
    case KommoDeliveryStatus.Ambiguous:
    case KommoDeliveryStatus.Skipped:
      return null;
  }
}
