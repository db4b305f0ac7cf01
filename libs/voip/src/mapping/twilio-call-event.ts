import { CallDirection, CallEvent, CallState, createCallEvent, VoipProvider } from '@app/domain';
import { classifyPhoneParty, e164Of, identityOf } from '../phone/phone-party';
import { twilioRecordingDedupeKey, twilioStatusDedupeKey } from '../twilio/twilio-signature';
import { CallEventContext } from './call-event-context';

type Params = Readonly<Record<string, unknown>>;

const STATE_OF_STATUS: Readonly<Record<string, CallState>> = {
  queued: CallState.Ringing,
  initiated: CallState.Ringing,
  ringing: CallState.Ringing,
  'in-progress': CallState.Answered,
  completed: CallState.Completed,
  busy: CallState.Busy,
  'no-answer': CallState.Missed,
  canceled: CallState.Missed,
  failed: CallState.Failed,
};

/**
 * A Twilio call status callback (voip.md §1.2) as a provider-neutral event.
 * Direction is the customer call's: a leg Twilio calls `inbound` that comes from a `client:` identity is
 * a manager calling out from the softphone; `outbound-api` is click-to-call; `outbound-dial` child legs
 * leave the direction to their parent. Returns null for a status we do not know (kept raw in the inbox).
 *
 * Click-to-call (callback mode): the REST-created `outbound-api` leg rings the MANAGER's own device (its `To`
 * is the manager's phone, SIP URI or client identity; its `From` is our caller ID), and the `<Dial>` child
 * leg rings the customer. So on an `outbound-api` leg `To` is the agent, never the customer: the customer's
 * number comes from the child leg (Call.customerNumber), and a manager mapped by phone number is credited.
 */
export function twilioCallStatusEvent(params: Params, context: CallEventContext): CallEvent | null {
  const key = twilioStatusDedupeKey(params);
  const status = text(params.CallStatus);
  const state = status ? STATE_OF_STATUS[status] : undefined;
  if (!key || !state) return null;
  const parties = twilioLegParties(
    { from: text(params.From), to: text(params.To), direction: text(params.Direction), parentCallSid: text(params.ParentCallSid), restLegRingsManager: true },
    context.defaultCountry,
  );
  const occurredAt = timestamp(params.Timestamp) ?? context.receivedAt;
  const terminal = state !== CallState.Ringing && state !== CallState.Answered;
  const duration = terminal ? (seconds(params.CallDuration) ?? (state === CallState.Completed ? null : 0)) : null;
  const recordingUrl = text(params.RecordingUrl);
  return createCallEvent({
    idempotencyKey: `twilio:${text(params.AccountSid) ?? ''}:${key}`,
    provider: VoipProvider.Twilio,
    accountId: context.accountId,
    connectionId: context.connectionId,
    providerCallId: text(params.CallSid)!,
    parentProviderCallId: text(params.ParentCallSid),
    ...parties,
    state,
    occurredAt,
    answeredAt: state === CallState.Answered ? occurredAt : null,
    endedAt: terminal ? occurredAt : null,
    durationSeconds: duration,
    recording: recordingUrl ? { url: mediaUrl(recordingUrl), durationSeconds: seconds(params.RecordingDuration) } : null,
    sequence: seconds(params.SequenceNumber),
  });
}

export interface TwilioLeg {
  readonly from: string | null;
  readonly to: string | null;
  /** Twilio's `Direction` / `direction`: inbound, outbound-api, outbound-dial. */
  readonly direction: string | null;
  readonly parentCallSid: string | null;
  /**
   * Whether a parentless `outbound-api` leg rings the manager (click-to-call's first leg). True for status
   * callbacks, which reach us only for calls we created; false for the Calls list, which also lists the
   * account's other REST calls, whose `To` is the customer.
   */
  readonly restLegRingsManager: boolean;
}

/**
 * Who is who on one Twilio leg, one rule for status callbacks and the Calls list (import): the direction of
 * the customer call, the customer's and our numbers, and the manager's identity.
 */
export function twilioLegParties(leg: TwilioLeg, defaultCountry: string) {
  const from = classifyPhoneParty(leg.from, defaultCountry);
  const to = classifyPhoneParty(leg.to, defaultCountry);
  const direction =
    leg.direction === 'inbound'
      ? from.kind === 'internal'
        ? CallDirection.Outbound
        : CallDirection.Inbound
      : leg.direction === 'outbound-api'
        ? CallDirection.Outbound
        : null;
  const clickToCallLeg = leg.restLegRingsManager && leg.direction === 'outbound-api' && leg.parentCallSid === null;
  return {
    direction,
    caller: clickToCallLeg ? null : e164Of(from),
    callee: clickToCallLeg ? null : e164Of(to),
    agentExtension: clickToCallLeg ? (identityOf(to) ?? e164Of(to)) : (identityOf(from) ?? identityOf(to)),
  };
}

/** A Twilio recording status callback (voip.md §1.3); only a completed recording is an event. */
export function twilioRecordingEvent(params: Params, context: CallEventContext): CallEvent | null {
  const key = twilioRecordingDedupeKey(params);
  const url = text(params.RecordingUrl);
  const callSid = text(params.CallSid);
  if (!key || !url || !callSid || text(params.RecordingStatus) !== 'completed') return null;
  return createCallEvent({
    idempotencyKey: `twilio:${text(params.AccountSid) ?? ''}:${key}`,
    provider: VoipProvider.Twilio,
    accountId: context.accountId,
    connectionId: context.connectionId,
    providerCallId: callSid,
    occurredAt: timestamp(params.RecordingStartTime) ?? context.receivedAt,
    recording: { url: mediaUrl(url), durationSeconds: seconds(params.RecordingDuration) },
  });
}

/** Twilio's RecordingUrl has no extension; `.mp3` selects the format Kommo's player plays. */
function mediaUrl(url: string): string {
  return /\.(mp3|wav)$/i.test(url) ? url : `${url}.mp3`;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function seconds(value: unknown): number | null {
  const raw = text(value);
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

function timestamp(value: unknown): Date | null {
  const raw = text(value);
  if (!raw) return null;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? null : date;
}
