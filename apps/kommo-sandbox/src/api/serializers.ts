import { link } from '../http/hal';
import {
  AccountRecord,
  CompanyRecord,
  ContactRecord,
  CustomFieldValueRecord,
  LeadRecord,
  NoteRecord,
  PipelineRecord,
  StatusRecord,
  TaskRecord,
  UnsortedRecord,
  UserRecord,
} from '../store/model';
import { SandboxStore } from '../store/sandbox-store';

/** Kommo's JSON shapes of the in-memory records. */
export class Serializer {
  constructor(
    private readonly store: SandboxStore,
    private readonly host: string,
  ) {}

  static for(store: SandboxStore, account: AccountRecord): Serializer {
    return new Serializer(store, store.hostOf(account));
  }

  link(path: string): { href: string } {
    return link(this.host, path);
  }

  user(user: UserRecord, withSet: Set<string> = new Set()): Record<string, unknown> {
    const entity = { view: 'A', edit: 'A', add: 'A', delete: user.isAdmin ? 'A' : 'D', export: user.isAdmin ? 'A' : 'D' };
    const body: Record<string, unknown> = {
      id: user.id,
      name: user.name,
      email: user.email,
      lang: user.lang,
      rights: {
        leads: entity,
        contacts: entity,
        companies: entity,
        tasks: { edit: 'A', delete: user.isAdmin ? 'A' : 'D' },
        mail_access: true,
        catalog_access: true,
        files_access: true,
        status_rights: null,
        catalog_rights: null,
        custom_fields_rights: null,
        oper_day_reports_view_access: false,
        oper_day_user_tracking: false,
        is_admin: user.isAdmin,
        is_free: user.isFree,
        is_active: user.isActive,
        group_id: user.groupId === 0 ? null : user.groupId,
        role_id: user.roleId,
      },
      _links: { self: this.link(`/api/v4/users/${user.id}`) },
    };
    const embedded: Record<string, unknown> = {};
    if (withSet.has('role')) embedded.roles = [];
    if (withSet.has('group')) embedded.groups = [{ id: 0, name: 'Main group' }];
    if (withSet.has('phone_number')) body.phone_number = user.phoneExtension;
    if (withSet.has('uuid')) body.uuid = `user-${user.id}`;
    if (Object.keys(embedded).length > 0) body._embedded = embedded;
    return body;
  }

  customFields(fields: CustomFieldValueRecord[]): unknown[] | null {
    if (fields.length === 0) return null;
    return fields.map((field) => ({
      field_id: field.fieldId,
      field_name: field.fieldName,
      field_code: field.fieldCode,
      field_type: field.fieldType,
      values: field.values.map((value) => (value.enumId === null ? { value: value.value } : { value: value.value, enum_id: value.enumId, enum_code: value.enumCode })),
    }));
  }

  contact(contact: ContactRecord, withSet: Set<string> = new Set()): Record<string, unknown> {
    const embedded: Record<string, unknown> = {
      tags: contact.tags.map((name, index) => ({ id: index + 1, name, color: null })),
      companies: contact.companyId ? [{ id: contact.companyId, _links: { self: this.link(`/api/v4/companies/${contact.companyId}`) } }] : [],
    };
    if (withSet.has('leads')) {
      embedded.leads = this.store.leadsOfContact(contact.id).map((lead) => ({ id: lead.id, _links: { self: this.link(`/api/v4/leads/${lead.id}`) } }));
    }
    return {
      id: contact.id,
      name: contact.name,
      first_name: contact.firstName,
      last_name: contact.lastName,
      responsible_user_id: contact.responsibleUserId,
      group_id: contact.groupId,
      created_by: contact.createdBy,
      updated_by: contact.updatedBy,
      created_at: contact.createdAt,
      updated_at: contact.updatedAt,
      closest_task_at: this.closestTask('contacts', contact.id),
      is_deleted: contact.isDeleted,
      is_unsorted: contact.isUnsorted,
      custom_fields_values: this.customFields(contact.customFields),
      account_id: contact.accountId,
      _links: { self: this.link(`/api/v4/contacts/${contact.id}`) },
      _embedded: embedded,
    };
  }

  company(company: CompanyRecord, withSet: Set<string> = new Set()): Record<string, unknown> {
    const embedded: Record<string, unknown> = { tags: company.tags.map((name, index) => ({ id: index + 1, name, color: null })) };
    if (withSet.has('leads')) {
      embedded.leads = this.store.leadsOfCompany(company.id).map((lead) => ({ id: lead.id, _links: { self: this.link(`/api/v4/leads/${lead.id}`) } }));
    }
    if (withSet.has('contacts')) {
      embedded.contacts = this.store.contactsOfCompany(company.id).map((contact) => ({ id: contact.id, _links: { self: this.link(`/api/v4/contacts/${contact.id}`) } }));
    }
    return {
      id: company.id,
      name: company.name,
      responsible_user_id: company.responsibleUserId,
      group_id: company.groupId,
      created_by: company.createdBy,
      updated_by: company.updatedBy,
      created_at: company.createdAt,
      updated_at: company.updatedAt,
      closest_task_at: this.closestTask('companies', company.id),
      is_deleted: company.isDeleted,
      custom_fields_values: this.customFields(company.customFields),
      account_id: company.accountId,
      _links: { self: this.link(`/api/v4/companies/${company.id}`) },
      _embedded: embedded,
    };
  }

  lead(lead: LeadRecord, withSet: Set<string> = new Set()): Record<string, unknown> {
    const embedded: Record<string, unknown> = {
      tags: lead.tags.map((name, index) => ({ id: index + 1, name, color: null })),
      companies: lead.companyId ? [{ id: lead.companyId, _links: { self: this.link(`/api/v4/companies/${lead.companyId}`) } }] : [],
    };
    if (withSet.has('contacts')) {
      embedded.contacts = lead.contactIds.map((id, index) => ({ id, is_main: index === 0, _links: { self: this.link(`/api/v4/contacts/${id}`) } }));
    }
    return {
      id: lead.id,
      name: lead.name,
      price: lead.price,
      responsible_user_id: lead.responsibleUserId,
      group_id: lead.groupId,
      status_id: lead.statusId,
      pipeline_id: lead.pipelineId,
      loss_reason_id: lead.lossReasonId,
      created_by: lead.createdBy,
      updated_by: lead.updatedBy,
      created_at: lead.createdAt,
      updated_at: lead.updatedAt,
      closed_at: lead.closedAt,
      closest_task_at: this.closestTask('leads', lead.id),
      is_deleted: lead.isDeleted,
      custom_fields_values: this.customFields(lead.customFields),
      score: null,
      account_id: lead.accountId,
      labor_cost: null,
      is_price_computed: false,
      _links: { self: this.link(`/api/v4/leads/${lead.id}`) },
      _embedded: embedded,
    };
  }

  status(status: StatusRecord, accountId: number): Record<string, unknown> {
    return {
      id: status.id,
      name: status.name,
      sort: status.sort,
      is_editable: status.isEditable,
      pipeline_id: status.pipelineId,
      color: status.color,
      type: status.type,
      account_id: accountId,
      _links: { self: this.link(`/api/v4/leads/pipelines/${status.pipelineId}/statuses/${status.id}`) },
    };
  }

  pipeline(pipeline: PipelineRecord): Record<string, unknown> {
    return {
      id: pipeline.id,
      name: pipeline.name,
      sort: pipeline.sort,
      is_main: pipeline.isMain,
      is_unsorted_on: pipeline.isUnsortedOn,
      is_archive: pipeline.isArchive,
      account_id: pipeline.accountId,
      _links: { self: this.link(`/api/v4/leads/pipelines/${pipeline.id}`) },
      _embedded: { statuses: pipeline.statuses.map((status) => this.status(status, pipeline.accountId)) },
    };
  }

  note(note: NoteRecord, withPinned = false): Record<string, unknown> {
    const body: Record<string, unknown> = {
      id: note.id,
      entity_id: note.entityId,
      created_by: note.createdBy,
      updated_by: note.updatedBy,
      created_at: note.createdAt,
      updated_at: note.updatedAt,
      responsible_user_id: note.responsibleUserId,
      group_id: note.groupId,
      note_type: note.noteType,
      params: note.params,
      account_id: note.accountId,
      _links: { self: this.link(`/api/v4/${note.entityType}/${note.entityId}/notes/${note.id}`) },
    };
    if (withPinned) body.is_pinned = note.isPinned;
    return body;
  }

  task(task: TaskRecord): Record<string, unknown> {
    return {
      id: task.id,
      created_by: task.createdBy,
      updated_by: task.updatedBy,
      created_at: task.createdAt,
      updated_at: task.updatedAt,
      responsible_user_id: task.responsibleUserId,
      group_id: 0,
      entity_id: task.entityId,
      entity_type: task.entityType,
      duration: task.duration,
      is_completed: task.isCompleted,
      task_type_id: task.taskTypeId,
      text: task.text,
      result: task.result ?? [],
      complete_till: task.completeTill,
      account_id: task.accountId,
      _links: { self: this.link(`/api/v4/tasks/${task.id}`) },
    };
  }

  unsorted(item: UnsortedRecord): Record<string, unknown> {
    const lead = this.store.crm.leads.get(item.leadId);
    const contact = item.contactId ? this.store.crm.contacts.get(item.contactId) : undefined;
    const company = item.companyId ? this.store.crm.companies.get(item.companyId) : undefined;
    const { is_call_event_needed: _hidden, ...metadata } = item.metadata;
    return {
      uid: item.uid,
      source_uid: item.sourceUid,
      source_name: item.sourceName,
      category: item.category,
      pipeline_id: item.pipelineId,
      created_at: item.createdAt,
      metadata,
      account_id: item.accountId,
      _links: { self: this.link(`/api/v4/leads/unsorted/${item.uid}`) },
      _embedded: {
        leads: lead ? [this.lead(lead)] : [],
        contacts: contact ? [this.contact(contact)] : [],
        companies: company ? [this.company(company)] : [],
      },
    };
  }

  private closestTask(entityType: 'leads' | 'contacts' | 'companies', entityId: number): number | null {
    let closest: number | null = null;
    for (const task of this.store.crm.tasks.values()) {
      if (task.entityType === entityType && task.entityId === entityId && !task.isCompleted) {
        if (closest === null || task.completeTill < closest) closest = task.completeTill;
      }
    }
    return closest;
  }
}
