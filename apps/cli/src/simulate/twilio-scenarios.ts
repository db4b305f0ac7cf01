import { randomBytes } from 'node:crypto';

export type ScenarioName = 'known' | 'unknown' | 'missed' | 'burst';
export const SCENARIOS: readonly ScenarioName[] = ['known', 'unknown', 'missed', 'burst'];

/** The sandbox's demo contact John Smith (has an active lead): a "known caller" there. */
export const DEMO_KNOWN_CALLER = '+14155550100';

export interface ScenarioInput {
  readonly scenario: ScenarioName;
  readonly accountSid: string;
  /** Caller number (known/missed/burst); an unused random number for `unknown`. */
  readonly from?: string;
  /** The number that was called (ours). */
  readonly to: string;
  /** Calls in a burst. */
  readonly count: number;
  readonly startedAt: Date;
}

export interface SimulatedCall {
  readonly callSid: string;
  /** Twilio's status callbacks for the call, in the order Twilio sends them. */
  readonly callbacks: readonly Record<string, string>[];
}

/**
 * Twilio status callbacks (the parameters Twilio posts to the StatusCallback URL) for a scenario:
 * - known: an answered inbound call from a number Kommo knows (logged on its contact/lead);
 * - unknown: an answered inbound call from a new number (an incoming lead, per the account's policy);
 * - missed: an inbound call nobody answered (a callback task when the account enables it);
 * - burst: `count` answered calls from the known number, ending together (batched toward Kommo).
 */
export function scenarioCalls(input: ScenarioInput): SimulatedCall[] {
  switch (input.scenario) {
    case 'known':
      return [answeredCall(input, input.from ?? DEMO_KNOWN_CALLER, 0)];
    case 'unknown':
      return [answeredCall(input, input.from ?? randomUsNumber(), 0)];
    case 'missed':
      return [callWithStatus(input, input.from ?? DEMO_KNOWN_CALLER, 0, 'no-answer', 0)];
    case 'burst':
      return Array.from({ length: input.count }, (_, index) => answeredCall(input, input.from ?? DEMO_KNOWN_CALLER, index));
  }
}

function answeredCall(input: ScenarioInput, from: string, index: number): SimulatedCall {
  return callWithStatus(input, from, index, 'completed', 30 + (index % 90));
}

function callWithStatus(input: ScenarioInput, from: string, index: number, status: 'completed' | 'no-answer', durationSeconds: number): SimulatedCall {
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const base = {
    AccountSid: input.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    From: from,
    To: input.to,
    Direction: 'inbound',
    CallbackSource: 'call-progress-events',
  };
  const start = input.startedAt.getTime() + index * 10;
  const at = (seconds: number) => new Date(start + seconds * 1000).toUTCString();
  const callbacks: Record<string, string>[] = [{ ...base, CallStatus: 'ringing', SequenceNumber: '0', Timestamp: at(0) }];
  if (status === 'completed') callbacks.push({ ...base, CallStatus: 'in-progress', SequenceNumber: '1', Timestamp: at(5) });
  callbacks.push({
    ...base,
    CallStatus: status,
    SequenceNumber: String(callbacks.length),
    Timestamp: at(5 + durationSeconds),
    CallDuration: String(durationSeconds),
  });
  return { callSid, callbacks };
}

/** A syntactically valid US number in the 555-01xx fiction range, unlikely to be a Kommo contact. */
function randomUsNumber(): string {
  return `+1415555${String(1000 + (randomBytes(2).readUInt16BE(0) % 9000)).padStart(4, '0')}`;
}
