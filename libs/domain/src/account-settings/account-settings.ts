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
  /** Inbound calls ring the caller's responsible manager first (else the ring group). Off: the ring group. */
  readonly smartForwardingEnabled: boolean;
  /** Kommo user ids rung when smart forwarding finds nobody; [] = every active mapped manager. */
  readonly defaultRingGroup: readonly number[];
  /** How long a `<Dial>` rings before voicemail (seconds). */
  readonly ringSeconds: number;
  /** Also push Kommo's own call notification (POST /api/v2/events) when a call rings. */
  readonly kommoCallNotifications: boolean;
  /** Widget: open the active lead's card when the manager answers (stored only). */
  readonly openLeadOnAnswer: boolean;
  /** Widget: show the call-result modal when a call ends (stored only). */
  readonly callResultModal: boolean;
  /** Widget: redial after a dropped softphone call without asking (stored only). */
  readonly autoRedial: boolean;
  readonly updatedAt: Date | null;
  readonly updatedByUserId: number | null;
}

export type AccountSettingsPatch = Partial<
  Pick<
    AccountSettings,
    | 'defaultResponsibleUserId'
    | 'unknownNumberPolicy'
    | 'missedCallTaskDelayMinutes'
    | 'recordingEnabled'
    | 'incomingLeadPipelineId'
    | 'smartForwardingEnabled'
    | 'defaultRingGroup'
    | 'ringSeconds'
    | 'kommoCallNotifications'
    | 'openLeadOnAnswer'
    | 'callResultModal'
    | 'autoRedial'
  >
>;

export const MAX_MISSED_CALL_TASK_DELAY_MINUTES = 7 * 24 * 60;
export const MIN_RING_SECONDS = 5;
export const MAX_RING_SECONDS = 120;
/** More would not fit one `<Dial>` anyway (10 nouns) once managers have several identities. */
export const MAX_RING_GROUP_SIZE = 50;

export function defaultAccountSettings(accountId: number): AccountSettings {
  return {
    accountId,
    defaultResponsibleUserId: null,
    unknownNumberPolicy: UnknownNumberPolicy.IncomingLead,
    missedCallTaskDelayMinutes: 15,
    recordingEnabled: true,
    incomingLeadPipelineId: null,
    smartForwardingEnabled: true,
    defaultRingGroup: [],
    ringSeconds: 25,
    kommoCallNotifications: false,
    openLeadOnAnswer: true,
    callResultModal: true,
    autoRedial: false,
    updatedAt: null,
    updatedByUserId: null,
  };
}

export interface AccountSettingsRepository {
  find(accountId: number): Promise<AccountSettings | null>;
  save(settings: AccountSettings): Promise<void>;
}
