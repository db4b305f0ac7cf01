import { CallEvent, CallState, createCallEvent, VoipProvider } from '@app/domain';
import type { CallEventContext } from '../mapping/call-event-context';
import { twilioLegParties } from '../mapping/twilio-call-event';

type Json = Readonly<Record<string, unknown>>;

const STATE_OF_STATUS: Readonly<Record<string, CallState>> = {
  completed: CallState.Completed,
  busy: CallState.Busy,
  'no-answer': CallState.Missed,
  canceled: CallState.Missed,
  failed: CallState.Failed,
};
/** Statuses of calls still going on: the import leaves them to a later run. */
export const TWILIO_LIVE_STATUSES: readonly string[] = ['queued', 'initiated', 'ringing', 'in-progress'];

/**
 * One record of Twilio's Calls list (`GET /2010-04-01/Accounts/{sid}/Calls.json`, snake_case JSON) as a terminal
 * event — the same facts a final status callback carries, so an imported call merges with anything a webhook
 * said about it. Child legs (`parent_call_sid`) join their parent. Null for live or unknown statuses.
 */
export function twilioCallLogEvent(call: Json, context: CallEventContext): CallEvent | null {
  const sid = text(call.sid);
  const status = text(call.status);
  const state = status ? STATE_OF_STATUS[status] : undefined;
  if (!sid || !state) return null;
  const parentCallSid = text(call.parent_call_sid);
  const parties = twilioLegParties(
    { from: text(call.from), to: text(call.to), direction: text(call.direction), parentCallSid, restLegRingsManager: false },
    context.defaultCountry,
  );
  const startedAt = date(call.start_time);
  const endedAt = date(call.end_time) ?? startedAt ?? date(call.date_updated) ?? context.receivedAt;
  const duration = seconds(call.duration);
  return createCallEvent({
    idempotencyKey: `twilio:${text(call.account_sid) ?? ''}:calllog:${sid}:${status}`,
    provider: VoipProvider.Twilio,
    accountId: context.accountId,
    connectionId: context.connectionId,
    providerCallId: sid,
    parentProviderCallId: parentCallSid,
    ...parties,
    state,
    occurredAt: endedAt,
    startedAt,
    endedAt,
    durationSeconds: duration ?? (state === CallState.Completed ? null : 0),
  });
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function seconds(value: unknown): number | null {
  const raw = typeof value === 'number' ? String(value) : text(value);
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

function date(value: unknown): Date | null {
  const raw = text(value);
  if (!raw) return null;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
