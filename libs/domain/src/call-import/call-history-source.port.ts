import type { VoipConnection, VoipProvider } from '../account-settings/voip-connection';
import type { CallWebhookKind } from '../voip-webhook/call-webhook-inbox.port';

/**
 * One entry of a provider's call log, ready to go into the webhook inbox exactly like a delivery: the worker
 * interprets it with the provider's mapper, so imported and pushed calls take one path.
 */
export interface CallHistoryRecord {
  /** The id our pipeline knows the call by (Twilio parent CallSid, RingCentral telephonySessionId, Zenvia id). */
  readonly providerCallId: string;
  readonly kind: CallWebhookKind;
  /** Deterministic: the same log entry always gives the same key, so a second import stores nothing. */
  readonly dedupeKey: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly hasRecording: boolean;
  /** False while the provider still shows the call in progress: a later import takes it. */
  readonly ended: boolean;
}

export interface CallHistoryWindow {
  readonly since: Date;
  readonly until: Date;
}

/** A provider's call log (Twilio Calls list, RingCentral call log, Zenvia call report). One adapter per provider. */
export interface CallHistorySource {
  readonly provider: VoipProvider;
  /** Calls that started in the window, page by page. */
  listCalls(connection: VoipConnection, window: CallHistoryWindow): AsyncIterable<CallHistoryRecord>;
}
