import { VoipProvider } from '../account-settings/voip-connection';
import { InvalidCallEventError } from './call.errors';
import { E164, e164OrNull, isE164 } from './e164';

/** Direction of the customer call from the company's point of view (not the technical direction of a leg). */
export enum CallDirection {
  Inbound = 'inbound',
  Outbound = 'outbound',
}

/** What a delivery says about the progress of one leg. The last five are terminal. */
export enum CallState {
  Ringing = 'ringing',
  Answered = 'answered',
  /** Ended after a conversation (the provider's "completed"; with talk time 0 and no answer it reads as missed). */
  Completed = 'completed',
  /** Nobody answered (no-answer, canceled by the caller, rejected). */
  Missed = 'missed',
  Busy = 'busy',
  Failed = 'failed',
  Voicemail = 'voicemail',
}

export type CallOutcome = CallState.Completed | CallState.Missed | CallState.Busy | CallState.Failed | CallState.Voicemail;

export const TERMINAL_STATES: readonly CallOutcome[] = [
  CallState.Completed,
  CallState.Missed,
  CallState.Busy,
  CallState.Failed,
  CallState.Voicemail,
];

export function isTerminal(state: CallState): state is CallOutcome {
  return (TERMINAL_STATES as readonly CallState[]).includes(state);
}

export interface CallRecording {
  /** The provider's media URL (streamed to Kommo through our signed proxy, never handed out as is). */
  readonly url: string;
  readonly durationSeconds: number | null;
}

/**
 * One delivery from a provider, normalised by its adapter (voip.md §7.1). Fields a delivery does not carry are
 * null; the Call aggregate merges what every delivery knows.
 */
export interface CallEvent {
  /** Key of the source delivery (inbox unique key), e.g. `twilio:AC…:CA…:completed:3`. */
  readonly idempotencyKey: string;
  readonly provider: VoipProvider;
  /** Our Kommo account (resolved from the connection's path key and signature, never from the body). */
  readonly accountId: number;
  readonly connectionId: string;
  /** The provider's id of this leg (Twilio CallSid). */
  readonly providerCallId: string;
  /** Set on child legs (Twilio ParentCallSid): every leg of one customer call becomes one Call. */
  readonly parentProviderCallId: string | null;
  /** null: the delivery does not say (e.g. a recording callback). */
  readonly direction: CallDirection | null;
  /** null: anonymous/withheld, an internal extension, or not carried by this delivery. */
  readonly caller: E164 | null;
  readonly callee: E164 | null;
  /** null: the delivery carries no progress (e.g. only a recording). */
  readonly state: CallState | null;
  readonly occurredAt: Date;
  readonly startedAt: Date | null;
  readonly answeredAt: Date | null;
  readonly endedAt: Date | null;
  /** Talk time (answer → hang-up) in seconds; 0 for a call nobody answered. */
  readonly durationSeconds: number | null;
  readonly recording: CallRecording | null;
  /** The agent's extension / client identity on the provider, mapped to a Kommo user by ExtensionDirectory. */
  readonly agentExtension: string | null;
  /** Provider ordering hint (Twilio SequenceNumber). Kept for audit: the merge does not need it. */
  readonly sequence: number | null;
}

export type CallEventInput = Pick<
  CallEvent,
  'idempotencyKey' | 'provider' | 'accountId' | 'connectionId' | 'providerCallId' | 'occurredAt'
> &
  Partial<Omit<CallEvent, 'idempotencyKey' | 'provider' | 'accountId' | 'connectionId' | 'providerCallId' | 'occurredAt'>>;

/** Builds a validated event; optional fields default to null. Throws `InvalidCallEventError`. */
export function createCallEvent(input: CallEventInput): CallEvent {
  const event: CallEvent = {
    idempotencyKey: input.idempotencyKey,
    provider: input.provider,
    accountId: input.accountId,
    connectionId: input.connectionId,
    providerCallId: input.providerCallId,
    parentProviderCallId: input.parentProviderCallId ?? null,
    direction: input.direction ?? null,
    caller: input.caller ?? null,
    callee: input.callee ?? null,
    state: input.state ?? null,
    occurredAt: input.occurredAt,
    startedAt: input.startedAt ?? null,
    answeredAt: input.answeredAt ?? null,
    endedAt: input.endedAt ?? null,
    durationSeconds: input.durationSeconds ?? null,
    recording: input.recording ?? null,
    agentExtension: input.agentExtension ?? null,
    sequence: input.sequence ?? null,
  };
  const problems = validate(event);
  if (problems.length > 0) throw new InvalidCallEventError(problems);
  return event;
}

function validate(event: CallEvent): string[] {
  const problems: string[] = [];
  if (!event.idempotencyKey.trim()) problems.push('idempotencyKey is empty');
  if (!event.providerCallId.trim()) problems.push('providerCallId is empty');
  if (!event.connectionId.trim()) problems.push('connectionId is empty');
  if (!Number.isSafeInteger(event.accountId) || event.accountId <= 0) problems.push('accountId must be a positive integer');
  if (!Object.values(VoipProvider).includes(event.provider)) problems.push(`unknown provider ${String(event.provider)}`);
  if (event.parentProviderCallId !== null && event.parentProviderCallId === event.providerCallId) {
    problems.push('a leg cannot be its own parent');
  }
  if (event.parentProviderCallId !== null && !event.parentProviderCallId.trim()) problems.push('parentProviderCallId is empty');
  if (event.direction !== null && !Object.values(CallDirection).includes(event.direction)) problems.push('unknown direction');
  if (event.state !== null && !Object.values(CallState).includes(event.state)) problems.push('unknown state');
  for (const [name, value] of [['caller', event.caller], ['callee', event.callee]] as const) {
    if (value !== null && !isE164(value)) problems.push(`${name} is not E.164`);
  }
  for (const [name, value] of [
    ['occurredAt', event.occurredAt],
    ['startedAt', event.startedAt],
    ['answeredAt', event.answeredAt],
    ['endedAt', event.endedAt],
  ] as const) {
    if (value !== null && (!(value instanceof Date) || Number.isNaN(value.getTime()))) problems.push(`${name} is not a valid date`);
  }
  if (!isSeconds(event.durationSeconds)) problems.push('durationSeconds must be a non-negative integer');
  if (event.recording !== null) {
    if (!event.recording.url.trim()) problems.push('recording.url is empty');
    if (!isSeconds(event.recording.durationSeconds)) problems.push('recording.durationSeconds must be a non-negative integer');
  }
  if (event.agentExtension !== null && !event.agentExtension.trim()) problems.push('agentExtension is empty');
  if (event.sequence !== null && !Number.isFinite(event.sequence)) problems.push('sequence must be a finite number');
  return problems;
}

function isSeconds(value: number | null): boolean {
  return value === null || (Number.isSafeInteger(value) && value >= 0);
}

/** The JSON form of an event (queue payloads, inbox replay). */
export interface CallEventPayload {
  readonly idempotencyKey: string;
  readonly provider: string;
  readonly accountId: number;
  readonly connectionId: string;
  readonly providerCallId: string;
  readonly parentProviderCallId: string | null;
  readonly direction: string | null;
  readonly caller: string | null;
  readonly callee: string | null;
  readonly state: string | null;
  readonly occurredAt: string;
  readonly startedAt: string | null;
  readonly answeredAt: string | null;
  readonly endedAt: string | null;
  readonly durationSeconds: number | null;
  readonly recording: { readonly url: string; readonly durationSeconds: number | null } | null;
  readonly agentExtension: string | null;
  readonly sequence: number | null;
}

export function toCallEventPayload(event: CallEvent): CallEventPayload {
  return {
    ...event,
    occurredAt: event.occurredAt.toISOString(),
    startedAt: event.startedAt?.toISOString() ?? null,
    answeredAt: event.answeredAt?.toISOString() ?? null,
    endedAt: event.endedAt?.toISOString() ?? null,
    recording: event.recording ? { ...event.recording } : null,
  };
}

/** Re-validates everything (payloads come back from Redis). Throws `InvalidCallEventError` / `InvalidE164Error`. */
export function fromCallEventPayload(payload: CallEventPayload): CallEvent {
  return createCallEvent({
    ...payload,
    provider: payload.provider as VoipProvider,
    direction: payload.direction as CallDirection | null,
    state: payload.state as CallState | null,
    caller: e164OrNull(payload.caller),
    callee: e164OrNull(payload.callee),
    occurredAt: new Date(payload.occurredAt),
    startedAt: dateOrNull(payload.startedAt),
    answeredAt: dateOrNull(payload.answeredAt),
    endedAt: dateOrNull(payload.endedAt),
    recording: payload.recording ? { ...payload.recording } : null,
  });
}

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
