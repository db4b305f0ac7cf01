import { VoipProvider } from '../../../src/account-settings/voip-connection';
import { CallDirection, CallEvent, CallEventInput, CallState, createCallEvent, e164 } from '../../../src/call';

export const CUSTOMER = e164('+5511987654321');
export const OUR_NUMBER = e164('+5511300000000');
export const T0 = new Date('2026-01-15T10:00:00.000Z');

export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

/** An inbound Twilio delivery for leg CA-1 of account 42; the idempotency key is derived unless given. */
export function aCallEvent(overrides: Partial<CallEventInput> = {}): CallEvent {
  const providerCallId = overrides.providerCallId ?? 'CA-1';
  const state = overrides.state === undefined ? CallState.Ringing : overrides.state;
  return createCallEvent({
    provider: VoipProvider.Twilio,
    accountId: 42,
    connectionId: 'conn-1',
    providerCallId,
    direction: CallDirection.Inbound,
    caller: CUSTOMER,
    callee: OUR_NUMBER,
    state,
    occurredAt: T0,
    ...overrides,
    idempotencyKey:
      overrides.idempotencyKey ??
      `twilio:AC1:${providerCallId}:${state ?? 'recording'}:${overrides.sequence ?? 0}:${overrides.recording?.url ?? ''}`,
  });
}

/** ringing → answered → completed (60 s talk) on one leg, and a recording callback. */
export function answeredCallEvents(providerCallId = 'CA-1', options: { agentExtension?: string } = {}): CallEvent[] {
  const base = { providerCallId, agentExtension: options.agentExtension ?? null };
  return [
    aCallEvent({ ...base, state: CallState.Ringing, occurredAt: at(0), startedAt: at(0), sequence: 0 }),
    aCallEvent({ ...base, state: CallState.Answered, occurredAt: at(5), answeredAt: at(5), sequence: 1 }),
    aCallEvent({ ...base, state: CallState.Completed, occurredAt: at(65), endedAt: at(65), durationSeconds: 60, sequence: 2 }),
    aCallEvent({ ...base, state: null, direction: null, caller: null, callee: null, occurredAt: at(90), recording: { url: `https://api.twilio.com/rec/RE-${providerCallId}`, durationSeconds: 60 } }),
  ];
}

/** ringing → missed (no-answer) on one leg. */
export function missedCallEvents(providerCallId = 'CA-9', start = 0): CallEvent[] {
  return [
    aCallEvent({ providerCallId, state: CallState.Ringing, occurredAt: at(start), startedAt: at(start), sequence: 0 }),
    aCallEvent({ providerCallId, state: CallState.Missed, occurredAt: at(start + 30), endedAt: at(start + 30), durationSeconds: 0, sequence: 1 }),
  ];
}

/** Every ordering of `items`. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}
