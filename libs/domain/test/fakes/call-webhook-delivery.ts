import { CallWebhookDelivery, CallWebhookKind, VoipProvider } from '../../src';

/** A Twilio status delivery of the demo account's connection, received at `receivedAt`. */
export function aCallWebhookDelivery(dedupeKey: string, receivedAt: Date, overrides: Partial<CallWebhookDelivery> = {}): CallWebhookDelivery {
  return {
    accountId: 31000001,
    connectionId: 'conn-1',
    provider: VoipProvider.Twilio,
    kind: CallWebhookKind.TwilioCallStatus,
    dedupeKey,
    payload: { CallSid: 'CA1', CallStatus: 'completed' },
    receivedAt,
    ...overrides,
  };
}
