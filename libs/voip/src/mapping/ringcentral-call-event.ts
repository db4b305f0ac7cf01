import { CallDirection, CallEvent, CallState, createCallEvent, VoipProvider } from '@app/domain';
import { classifyPhoneParty, e164Of } from '../phone/phone-party';
import { CallEventContext } from './call-event-context';

type Json = Readonly<Record<string, unknown>>;

/** Disconnect reasons that mean nobody answered this party (voip.md §2.3). */
const MISSED_REASONS = new Set(['NoAnswer', 'Cancelled', 'Rejected', 'Timeout']);
const FAILED_REASONS = new Set(['InvalidNumber', 'InternationalDisabled', 'DestinationBlocked', 'NotEnoughFunds', 'NoSuchUser', 'InternalError']);

/**
 * A RingCentral telephony-session notification (voip.md §2.3) as a provider-neutral event.
 * The whole call is the `telephonySessionId`; each of our parties (an extension's view of the call) is one leg
 * under it, so a ring group's unanswered parties and the party that answered become one call. Parties without
 * an extension (the far end, seen by account-wide subscriptions) carry nothing we log: null (kept raw).
 * Direction: `origin.type = RingOut` is click-to-call (outbound); otherwise the party's direction.
 * RingCentral events carry no duration: talk time is answeredAt → endedAt of the party.
 */
export function ringCentralTelephonySessionEvent(envelope: Json, context: CallEventContext): CallEvent | null {
  const uuid = text(envelope.uuid);
  const body = object(envelope.body);
  const sessionId = text(body?.telephonySessionId);
  if (!uuid || !body || !sessionId) return null;
  const parties = Array.isArray(body.parties) ? (body.parties as unknown[]).map(object).filter((party): party is Json => party !== null) : [];
  const party = parties.find((candidate) => extensionIdOf(candidate) !== null);
  const partyId = text(party?.id);
  if (!party || !partyId || partyId === sessionId) return null;
  const status = object(party.status);
  const state = partyState(text(status?.code), text(status?.reason), party.missedCall === true);
  if (state === undefined) return null;
  const occurredAt = date(body.eventTime) ?? date(envelope.timestamp) ?? context.receivedAt;
  const technicallyInbound = text(party.direction) === 'Inbound';
  const remote = classifyPhoneParty(text(object(technicallyInbound ? party.from : party.to)?.phoneNumber), context.defaultCountry);
  const origin = text(object(body.origin)?.type);
  const direction = origin === 'RingOut' || !technicallyInbound ? CallDirection.Outbound : CallDirection.Inbound;
  const terminal = state !== null && state !== CallState.Ringing && state !== CallState.Answered;
  return createCallEvent({
    idempotencyKey: `ringcentral:${context.connectionId}:${uuid}`,
    provider: VoipProvider.RingCentral,
    accountId: context.accountId,
    connectionId: context.connectionId,
    providerCallId: partyId,
    parentProviderCallId: sessionId,
    direction,
    caller: direction === CallDirection.Inbound ? e164Of(remote) : null,
    callee: direction === CallDirection.Outbound ? e164Of(remote) : null,
    state,
    occurredAt,
    startedAt: state === CallState.Ringing ? occurredAt : null,
    answeredAt: state === CallState.Answered ? occurredAt : null,
    endedAt: terminal ? occurredAt : null,
    durationSeconds: state === CallState.Missed || state === CallState.Busy || state === CallState.Failed ? 0 : null,
    agentExtension: agentOf(extensionIdOf(party)),
    sequence: typeof body.sequence === 'number' && Number.isFinite(body.sequence) ? body.sequence : null,
  });
}

/**
 * undefined: a status code we do not know (the delivery stays raw in the inbox); null: a known code that says
 * nothing about progress. `Gone` (the party moved to another session) and transfers end this party's leg.
 */
function partyState(code: string | null, reason: string | null, missed: boolean): CallState | null | undefined {
  switch (code) {
    case 'Setup':
    case 'Proceeding':
      return CallState.Ringing;
    case 'Answered':
    case 'Hold':
    case 'Parked':
      return CallState.Answered;
    case 'VoiceMail':
    case 'VoiceMailScreening':
      return CallState.Voicemail;
    case 'Disconnected':
    case 'Gone':
      if (missed || (reason !== null && MISSED_REASONS.has(reason))) return CallState.Missed;
      if (reason === 'TargetBusy') return CallState.Busy;
      if (reason !== null && FAILED_REASONS.has(reason)) return CallState.Failed;
      return CallState.Completed;
    case 'FaxReceive':
    case 'Tds':
      return null;
    case null:
    default:
      return undefined;
  }
}

const ANSWERED_RESULTS = new Set(['Accepted', 'Call connected', 'Reply', 'Received']);
const MISSED_RESULTS = new Set(['Missed', 'No Answer', 'Rejected', 'Declined', 'Abandoned', 'Hang up', 'Stopped', 'Blocked']);
const FAILED_RESULTS = new Set([
  'Call Failed',
  'Call Failure',
  'Internal Error',
  'Wrong Number',
  'International Disabled',
  'International Restriction',
  'Restricted Number',
  'IP Phone offline',
  'Suspended account',
  'Poor Line Quality',
  'ResultEmpty',
]);

/**
 * A RingCentral call-log record (voip.md §2.4: history import and the recording lookup after a call) as a
 * terminal event on the session's root leg. Its recording's `contentUri` is on RingCentral's media host and is
 * only ever streamed through our proxy. Unknown `result` values: null (kept raw).
 */
export function ringCentralCallLogEvent(record: Json, context: CallEventContext): CallEvent | null {
  const id = text(record.id);
  const sessionId = text(record.telephonySessionId) ?? text(record.sessionId);
  const startedAt = date(record.startTime);
  const result = text(record.result);
  if (!id || !sessionId || !startedAt || !result) return null;
  const duration = typeof record.duration === 'number' && Number.isSafeInteger(record.duration) && record.duration >= 0 ? record.duration : null;
  let state: CallState;
  if (ANSWERED_RESULTS.has(result)) state = CallState.Completed;
  else if (MISSED_RESULTS.has(result)) state = CallState.Missed;
  else if (result === 'Busy') state = CallState.Busy;
  else if (result === 'Voicemail') state = CallState.Voicemail;
  else if (FAILED_RESULTS.has(result)) state = CallState.Failed;
  else return null;
  const inbound = text(record.direction) === 'Inbound';
  const ringOut = (text(record.action) ?? '').startsWith('RingOut');
  const direction = inbound && !ringOut ? CallDirection.Inbound : CallDirection.Outbound;
  const from = object(record.from);
  const to = object(record.to);
  const remote = classifyPhoneParty(text((direction === CallDirection.Inbound ? from : to)?.phoneNumber), context.defaultCountry);
  const local = direction === CallDirection.Inbound ? to : from;
  const endedAt = new Date(startedAt.getTime() + (duration ?? 0) * 1000);
  const recording = object(record.recording);
  const contentUri = text(recording?.contentUri);
  return createCallEvent({
    idempotencyKey: `ringcentral:${context.connectionId}:calllog:${id}:${text(recording?.id) ?? '-'}`,
    provider: VoipProvider.RingCentral,
    accountId: context.accountId,
    connectionId: context.connectionId,
    providerCallId: sessionId,
    direction,
    caller: direction === CallDirection.Inbound ? e164Of(remote) : null,
    callee: direction === CallDirection.Outbound ? e164Of(remote) : null,
    state,
    occurredAt: endedAt,
    startedAt,
    endedAt,
    durationSeconds: state === CallState.Completed || state === CallState.Voicemail ? duration : 0,
    recording: contentUri ? { url: contentUri, durationSeconds: state === CallState.Completed ? duration : null } : null,
    agentExtension: agentOf(text(local?.extensionId) ?? text(object(record.extension)?.id)),
  });
}

/**
 * How a RingCentral extension names the manager in our extension map: `rc_<extensionId>` (the id, not the
 * number, is what telephony parties carry; the prefix keeps long numeric ids from reading as phone numbers).
 */
export function ringCentralAgentIdentity(extensionId: string): string {
  return `rc_${extensionId}`;
}

function agentOf(extensionId: string | null): string | null {
  return extensionId ? ringCentralAgentIdentity(extensionId) : null;
}

function extensionIdOf(party: Json): string | null {
  const own = text(party.extensionId);
  if (own) return own;
  const local = object(text(party.direction) === 'Inbound' ? party.to : party.from);
  return text(local?.extensionId);
}

function object(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function date(value: unknown): Date | null {
  const raw = text(value);
  if (!raw) return null;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
