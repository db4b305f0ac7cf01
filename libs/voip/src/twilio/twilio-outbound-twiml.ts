import { twiml } from 'twilio';

type LegEvent = 'initiated' | 'ringing' | 'answered' | 'completed';
const LEG_EVENTS: LegEvent[] = ['initiated', 'ringing', 'answered', 'completed'];

export interface OutboundDialInput {
  /** The customer's number, E.164. */
  readonly to: string;
  /** The number the customer sees (the connection's `callerId`), E.164. */
  readonly callerId: string;
  readonly statusCallbackUrl: string;
  readonly recordingStatusCallbackUrl: string;
  /** Where Twilio asks what to do once the customer's leg ended (we hang up). */
  readonly dialEndedUrl: string;
  readonly record: boolean;
  readonly ringSeconds: number;
}

/**
 * A manager's outgoing call (softphone via the TwiML App, or the manager's leg of a callback call once they
 * answered): dial the customer with our caller ID; the customer's leg reports its status and recording to us.
 */
export function outboundDialTwiml(input: OutboundDialInput): string {
  const response = new twiml.VoiceResponse();
  const dial = response.dial({
    callerId: input.callerId,
    answerOnBridge: true,
    timeout: input.ringSeconds,
    action: input.dialEndedUrl,
    method: 'POST',
    ...(input.record
      ? { record: 'record-from-answer-dual', recordingStatusCallback: input.recordingStatusCallbackUrl, recordingStatusCallbackEvent: ['completed'] }
      : {}),
  });
  dial.number({ statusCallback: input.statusCallbackUrl, statusCallbackEvent: LEG_EVENTS, statusCallbackMethod: 'POST' }, input.to);
  return response.toString();
}

/** An outgoing call we refuse to place: the manager hears why, then the call ends (still valid TwiML, HTTP 200). */
export function refusedCallTwiml(reason: string): string {
  const response = new twiml.VoiceResponse();
  response.say(reason);
  response.hangup();
  return response.toString();
}

/** The customer's leg ended: nothing more to do on the manager's leg. */
export function hangupTwiml(): string {
  const response = new twiml.VoiceResponse();
  response.hangup();
  return response.toString();
}
