export enum UnknownNumberPolicy {
  /** Create an incoming lead (unsorted, SIP) the manager can accept — Kommo's recommended flow. */
  IncomingLead = 'incoming_lead',
  /** Create a contact right away and log the call on it. */
  CreateContact = 'create_contact',
  /** Do not log calls from numbers Kommo does not know. */
  Ignore = 'ignore',
}

export interface AccountSettings {
  readonly accountId: number;
  /** Kommo user who gets calls no manager could be matched to; null = Kommo's default. */
  readonly defaultResponsibleUserId: number | null;
  readonly unknownNumberPolicy: UnknownNumberPolicy;
  /** Minutes after a missed call before the callback task is due; null = no callback task. */
  readonly missedCallTaskDelayMinutes: number | null;
  readonly recordingEnabled: boolean;
  /** Pipeline whose "Incoming leads" stage receives leads of unknown callers; null = Kommo's main pipeline. */
  readonly incomingLeadPipelineId: number | null;
  readonly updatedAt: Date | null;
  readonly updatedByUserId: number | null;
}

export type AccountSettingsPatch = Partial<
  Pick<
    AccountSettings,
    'defaultResponsibleUserId' | 'unknownNumberPolicy' | 'missedCallTaskDelayMinutes' | 'recordingEnabled' | 'incomingLeadPipelineId'
  >
>;

export const MAX_MISSED_CALL_TASK_DELAY_MINUTES = 7 * 24 * 60;

export function defaultAccountSettings(accountId: number): AccountSettings {
  return {
    accountId,
    defaultResponsibleUserId: null,
    unknownNumberPolicy: UnknownNumberPolicy.IncomingLead,
    missedCallTaskDelayMinutes: 15,
    recordingEnabled: true,
    incomingLeadPipelineId: null,
    updatedAt: null,
    updatedByUserId: null,
  };
}

export interface AccountSettingsRepository {
  find(accountId: number): Promise<AccountSettings | null>;
  save(settings: AccountSettings): Promise<void>;
}
