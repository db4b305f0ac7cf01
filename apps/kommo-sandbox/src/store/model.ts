/** In-memory records of the sandbox. Field names follow Kommo's wire names where practical. */

export type EntityPlural = 'leads' | 'contacts' | 'companies';
export type EntitySingular = 'lead' | 'contact' | 'company';

export const SINGULAR: Record<EntityPlural, EntitySingular> = { leads: 'lead', contacts: 'contact', companies: 'company' };

export interface AccountRecord {
  id: number;
  uuid: string;
  name: string;
  subdomain: string;
  country: string;
  currency: string;
  currencySymbol: string;
  createdAt: number;
  /** 402 switch: the subscription is over. */
  paymentRequired: boolean;
}

export type RightLevel = 'A' | 'G' | 'M' | 'D';

export interface UserRecord {
  id: number;
  accountId: number;
  name: string;
  email: string;
  lang: string;
  isAdmin: boolean;
  isActive: boolean;
  isFree: boolean;
  roleId: number | null;
  groupId: number;
  phoneExtension: string | null;
}

export interface StatusRecord {
  id: number;
  name: string;
  sort: number;
  isEditable: boolean;
  pipelineId: number;
  color: string;
  /** 0 regular, 1 incoming leads (unsorted). */
  type: 0 | 1;
}

export interface PipelineRecord {
  id: number;
  accountId: number;
  name: string;
  sort: number;
  isMain: boolean;
  isUnsortedOn: boolean;
  isArchive: boolean;
  statuses: StatusRecord[];
}

export interface FieldValue {
  value: string;
  enumId: number | null;
  enumCode: string | null;
}

export interface CustomFieldValueRecord {
  fieldId: number;
  fieldName: string;
  fieldCode: string | null;
  fieldType: string;
  values: FieldValue[];
}

export interface EntityBase {
  id: number;
  accountId: number;
  name: string;
  responsibleUserId: number;
  groupId: number;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
  isDeleted: boolean;
  /** Created by an incoming lead and not yet accepted: hidden from lists and searches. */
  isUnsorted: boolean;
  customFields: CustomFieldValueRecord[];
  tags: string[];
}

export interface ContactRecord extends EntityBase {
  firstName: string;
  lastName: string;
  companyId: number | null;
}

export type CompanyRecord = EntityBase;

export interface LeadRecord extends EntityBase {
  price: number;
  statusId: number;
  pipelineId: number;
  closedAt: number | null;
  lossReasonId: number | null;
  contactIds: number[];
  companyId: number | null;
}

export interface NoteRecord {
  id: number;
  accountId: number;
  entityType: EntityPlural;
  entityId: number;
  noteType: string;
  params: Record<string, unknown>;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
  responsibleUserId: number;
  groupId: number;
  isPinned: boolean;
  /** How it was created: through `POST /api/v4/calls` or the notes API. */
  origin: 'calls' | 'notes' | 'unsorted';
}

export interface UnsortedRecord {
  uid: string;
  accountId: number;
  sourceUid: string;
  sourceName: string;
  category: 'sip';
  pipelineId: number;
  createdAt: number;
  metadata: Record<string, unknown>;
  leadId: number;
  contactId: number | null;
  companyId: number | null;
  state: 'pending' | 'accepted' | 'declined';
  decidedBy: number | null;
  decidedAt: number | null;
}

export interface TaskRecord {
  id: number;
  accountId: number;
  text: string;
  completeTill: number;
  taskTypeId: number;
  entityId: number | null;
  entityType: EntityPlural | null;
  responsibleUserId: number;
  isCompleted: boolean;
  duration: number;
  result: { text: string } | null;
  createdBy: number;
  updatedBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface NotificationRecord {
  id: number;
  accountId: number;
  userId: number;
  type: 'phone_call';
  phoneNumber: string;
  /** The entity Kommo would show, or null for an unknown number ("create contact"). */
  entity: { type: EntitySingular; id: number; name: string } | null;
  createContactLink: string | null;
  at: number;
}

export interface WebhookRecord {
  id: number;
  accountId: number;
  destination: string;
  settings: string[];
  sort: number;
  disabled: boolean;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookDelivery {
  webhookId: number;
  accountId: number;
  destination: string;
  event: string;
  body: string;
  status: number | null;
  at: number;
}

export interface WidgetRecord {
  accountId: number;
  code: string;
  settings: Record<string, unknown>;
  installedBy: number;
  updatedAt: number;
}

export interface StoredCall {
  noteId: number;
  accountId: number;
  entityType: EntitySingular;
  entityId: number;
  phone: string;
  uniq: string | null;
  at: number;
}
