import { CallDirection, CallEvent, CallState, createCallEvent, VoipProvider } from '@app/domain';
import { classifyPhoneParty, e164Of, identityOf } from '../phone/phone-party';
import { CallEventContext } from './call-event-context';

/** The stored (already validated at the edge) generic PBX event: docs/generic-pbx.md. */
export interface GenericPbxEventPayload {
  readonly event_id: string;
  readonly call_id: string;
  readonly type: 'call.ringing' | 'call.answered' | 'call.ended' | 'call.recording.ready';
  readonly occurred_at: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  readonly to: string;
  readonly extension?: string;
  readonly outcome?: 'answered' | 'missed' | 'busy' | 'rejected' | 'failed' | 'canceled' | 'voicemail';
  readonly duration_sec?: number;
  readonly recording_url?: string;
  readonly sequence?: number;
}

const STATE_OF_OUTCOME: Readonly<Record<string, CallState>> = {
  answered: CallState.Completed,
  missed: CallState.Missed,
  rejected: CallState.Missed,
  canceled: CallState.Missed,
  busy: CallState.Busy,
  failed: CallState.Failed,
  voicemail: CallState.Voicemail,
};

/** A generic PBX event as a provider-neutral event; null when it cannot be one (kept raw in the inbox). */
export function genericPbxCallEvent(payload: GenericPbxEventPayload, context: CallEventContext): CallEvent | null {
  const occurredAt = new Date(payload.occurred_at);
  if (Number.isNaN(occurredAt.getTime())) return null;
  const from = classifyPhoneParty(payload.from, context.defaultCountry);
  const to = classifyPhoneParty(payload.to, context.defaultCountry);
  let state: CallState | null | undefined = null;
  if (payload.type === 'call.ringing') state = CallState.Ringing;
  else if (payload.type === 'call.answered') state = CallState.Answered;
  else if (payload.type === 'call.ended') state = STATE_OF_OUTCOME[payload.outcome ?? ''];
  if (state === undefined) return null;
  const ended = payload.type === 'call.ended';
  const agentSide = payload.direction === 'outbound' ? from : to;
  return createCallEvent({
    idempotencyKey: `pbx:${context.connectionId}:${payload.event_id}`,
    provider: VoipProvider.GenericPbx,
    accountId: context.accountId,
    connectionId: context.connectionId,
    providerCallId: payload.call_id,
    direction: payload.direction === 'outbound' ? CallDirection.Outbound : CallDirection.Inbound,
    caller: e164Of(from),
    callee: e164Of(to),
    state,
    occurredAt,
    answeredAt: payload.type === 'call.answered' ? occurredAt : null,
    endedAt: ended ? occurredAt : null,
    durationSeconds: ended ? (payload.duration_sec ?? (state === CallState.Completed ? null : 0)) : null,
    recording: payload.recording_url ? { url: payload.recording_url, durationSeconds: null } : null,
    agentExtension: payload.extension?.trim() || identityOf(agentSide),
    sequence: payload.sequence ?? null,
  });
}
