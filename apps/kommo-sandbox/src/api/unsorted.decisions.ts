import { Injectable } from '@nestjs/common';
import { KommoProblem } from '../http/problem';
import { UnsortedRecord } from '../store/model';
import { SandboxStore } from '../store/sandbox-store';
import { err, isInt } from './body';
import { WebhookSender } from './webhook.sender';

/** Accept and decline of incoming leads, shared by the API and the web view. */
@Injectable()
export class UnsortedDecisions {
  constructor(
    private readonly store: SandboxStore,
    private readonly webhooks: WebhookSender,
  ) {}

  /** Moves the lead to `statusId` (default: first work stage) and unhides its contact/company. */
  accept(accountId: number, uid: string, userId: number, statusIdInput?: unknown): UnsortedRecord {
    const item = this.pendingItem(accountId, uid);
    const lead = this.store.crm.leads.get(item.leadId)!;
    const pipeline = this.store.crm.pipelines.get(item.pipelineId)!;
    let statusId = pipeline.statuses.find((status) => status.type === 0)!.id;
    if (statusIdInput !== undefined) {
      const status = isInt(statusIdInput) ? pipeline.statuses.find((candidate) => candidate.id === statusIdInput && candidate.type === 0) : undefined;
      if (!status) throw KommoProblem.validation([{ request_id: '0', errors: [err.choice('status_id')] }]);
      statusId = status.id;
    }
    const now = this.store.now();
    lead.statusId = statusId;
    lead.isUnsorted = false;
    lead.responsibleUserId = userId;
    lead.updatedAt = now;
    for (const id of lead.contactIds) {
      const contact = this.store.crm.contacts.get(id);
      if (contact) contact.isUnsorted = false;
    }
    if (item.companyId) this.store.crm.companies.get(item.companyId)!.isUnsorted = false;
    this.decide(item, 'accepted', userId, now);
    this.webhooks.emit(accountId, 'delete_unsorted', {
      unsorted: { delete: [{ action: 'accept', uid: item.uid, category: 'sip', modified_user_id: userId, accept_result: { leads: [String(lead.id)] }, account_id: accountId }] },
    });
    return item;
  }

  /** The lead (and the contact/company it created) is deleted. */
  decline(accountId: number, uid: string, userId: number): UnsortedRecord {
    const item = this.pendingItem(accountId, uid);
    const now = this.store.now();
    const lead = this.store.crm.leads.get(item.leadId)!;
    lead.isDeleted = true;
    lead.updatedAt = now;
    if (item.contactId) this.store.crm.contacts.get(item.contactId)!.isDeleted = true;
    if (item.companyId) this.store.crm.companies.get(item.companyId)!.isDeleted = true;
    this.decide(item, 'declined', userId, now);
    this.webhooks.emit(accountId, 'delete_unsorted', {
      unsorted: { delete: [{ action: 'decline', uid: item.uid, category: 'sip', modified_user_id: userId, decline_result: { leads: [String(lead.id)] }, account_id: accountId }] },
    });
    return item;
  }

  private decide(item: UnsortedRecord, state: 'accepted' | 'declined', userId: number, now: number): void {
    item.state = state;
    item.decidedBy = userId;
    item.decidedAt = now;
  }

  private pendingItem(accountId: number, uid: string): UnsortedRecord {
    const item = this.store.crm.unsorted.get(uid);
    if (!item || item.accountId !== accountId) throw KommoProblem.notFound('Incoming lead not found');
    if (item.state !== 'pending') throw KommoProblem.of(400, `Incoming lead was already ${item.state}`);
    return item;
  }
}
