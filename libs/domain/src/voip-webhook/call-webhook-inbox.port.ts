import { VoipProvider } from '../account-settings/voip-connection';

/** What a provider told us in one delivery, verified and not yet interpreted. */
export enum CallWebhookKind {
  /** Twilio call status callback. */
  TwilioCallStatus = 'twilio.call-status',
  /** Twilio recording status callback. */
  TwilioRecordingStatus = 'twilio.recording-status',
  /** Generic PBX contract event. */
  PbxEvent = 'pbx.event',
  /** RingCentral telephony-session notification (one party's change). */
  RingCentralTelephonySession = 'ringcentral.telephony-session',
  /** A RingCentral call-log record (history import, recording lookup). */
  RingCentralCallLog = 'ringcentral.call-log',
  /** Zenvia call webhook (status_tempo_real / chamada_fim) or call-report record. */
  ZenviaCall = 'zenvia.call',
  /** A Zenvia delivery with a status we do not know: kept raw for audit, reported, never interpreted. */
  ZenviaUnrecognised = 'zenvia.unrecognised',
  /** A record of Twilio's Calls list (history import). */
  TwilioCallLog = 'twilio.call-log',
}

export interface CallWebhookDelivery {
  readonly accountId: number;
  readonly connectionId: string;
  readonly provider: VoipProvider;
  readonly kind: CallWebhookKind;
  /**
   * Identifies the delivery across provider retries (e.g. Twilio `CallSid:CallStatus:SequenceNumber`,
   * the PBX's event id). A second delivery with the same key is a duplicate and ends at the inbox.
   */
  readonly dedupeKey: string;
  /** The provider's parameters as received (no secrets: signatures stay out). */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly receivedAt: Date;
}

export interface StoredCallWebhook extends CallWebhookDelivery {
  readonly id: string;
  readonly enqueuedAt: Date | null;
}

/**
 * The durable inbox: the truth about what providers delivered. A row is written before we
 * acknowledge, so a Redis outage or a crash after the ack cannot lose a call event.
 */
export interface CallWebhookInbox {
  /** Inserts the delivery unless one with the same connection and dedupe key exists. */
  add(delivery: CallWebhookDelivery): Promise<{ id: string; duplicate: boolean }>;
  markEnqueued(ids: readonly string[], at: Date): Promise<void>;
  /** Deliveries received before `receivedBefore` whose job was never enqueued, oldest first. */
  findNotEnqueued(receivedBefore: Date, limit: number): Promise<StoredCallWebhook[]>;
  findById(id: string): Promise<StoredCallWebhook | null>;
  /** Deliveries received at or after `since`, in id order, after the id `after` (paging). */
  listReceivedSince(since: Date, after: string | null, limit: number): Promise<StoredCallWebhook[]>;
}
