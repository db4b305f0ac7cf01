import { CallDirection, CallState } from '@app/domain';
import { genericPbxCallEvent, GenericPbxEventPayload } from './generic-pbx-call-event';
import { twilioCallStatusEvent, twilioRecordingEvent } from './twilio-call-event';

const CONTEXT = { accountId: 31000001, connectionId: 'conn-1', defaultCountry: 'US', receivedAt: new Date('2026-11-24T10:05:00Z') };
const AC = `AC${'a'.repeat(32)}`;
const PARENT = `CA${'1'.repeat(32)}`;
const CHILD = `CA${'2'.repeat(32)}`;

describe('twilioCallStatusEvent', () => {
  const status = (overrides: Record<string, string>) => ({
    AccountSid: AC,
    CallSid: PARENT,
    CallStatus: 'completed',
    Direction: 'inbound',
    From: '+14155550100',
    To: '(415) 555-0199',
    Timestamp: 'Tue, 24 Nov 2026 10:00:42 +0000',
    SequenceNumber: '3',
    CallDuration: '42',
    ...overrides,
  });

  it('maps an inbound completed call (numbers to E.164, Timestamp, duration, sequence, key)', () => {
    expect(twilioCallStatusEvent(status({}), CONTEXT)).toMatchObject({
      idempotencyKey: `twilio:${AC}:${PARENT}:completed:3`,
      providerCallId: PARENT,
      parentProviderCallId: null,
      direction: CallDirection.Inbound,
      caller: '+14155550100',
      callee: '+14155550199',
      state: CallState.Completed,
      occurredAt: new Date('2026-11-24T10:00:42Z'),
      endedAt: new Date('2026-11-24T10:00:42Z'),
      durationSeconds: 42,
      sequence: 3,
      agentExtension: null,
    });
  });

  it.each([
    ['queued', CallState.Ringing],
    ['ringing', CallState.Ringing],
    ['in-progress', CallState.Answered],
    ['busy', CallState.Busy],
    ['no-answer', CallState.Missed],
    ['canceled', CallState.Missed],
    ['failed', CallState.Failed],
  ])('maps CallStatus %s to %s', (callStatus, state) => {
    expect(twilioCallStatusEvent(status({ CallStatus: callStatus }), CONTEXT)?.state).toBe(state);
  });

  it('reads a softphone (client:) leg as an outbound call by that agent', () => {
    const event = twilioCallStatusEvent(status({ From: 'client:manager-1002', To: '+5511987654321' }), CONTEXT)!;
    expect(event).toMatchObject({ direction: CallDirection.Outbound, caller: null, callee: '+5511987654321', agentExtension: 'manager-1002' });
  });

  it('keeps child legs tied to their parent and leaves the direction to the parent', () => {
    const event = twilioCallStatusEvent(status({ CallSid: CHILD, ParentCallSid: PARENT, Direction: 'outbound-dial', To: 'client:manager-1002' }), CONTEXT)!;
    expect(event).toMatchObject({ providerCallId: CHILD, parentProviderCallId: PARENT, direction: null, agentExtension: 'manager-1002' });
  });

  it('treats outbound-api (click-to-call) as outbound', () => {
    expect(twilioCallStatusEvent(status({ Direction: 'outbound-api' }), CONTEXT)?.direction).toBe(CallDirection.Outbound);
  });

  it('reads a click-to-call (outbound-api) leg as the manager’s leg: To is the agent, never the customer', () => {
    const byPhone = twilioCallStatusEvent(status({ Direction: 'outbound-api', From: '+14155550123', To: '+1 (415) 555-0111' }), CONTEXT)!;
    expect(byPhone).toMatchObject({ direction: CallDirection.Outbound, caller: null, callee: null, agentExtension: '+14155550111' });
    const bySip = twilioCallStatusEvent(status({ Direction: 'outbound-api', From: '+14155550123', To: 'sip:alice@pbx.example.com' }), CONTEXT)!;
    expect(bySip).toMatchObject({ callee: null, agentExtension: 'alice' });
    const byClient = twilioCallStatusEvent(status({ Direction: 'outbound-api', From: '+14155550123', To: 'client:alice_1' }), CONTEXT)!;
    expect(byClient).toMatchObject({ callee: null, agentExtension: 'alice_1' });
  });

  it('takes the customer from the bridged child leg of a click-to-call', () => {
    const child = twilioCallStatusEvent(
      status({ CallSid: CHILD, ParentCallSid: PARENT, Direction: 'outbound-dial', From: '+14155550123', To: '+5511987654321' }),
      CONTEXT,
    )!;
    expect(child).toMatchObject({ direction: null, caller: '+14155550123', callee: '+5511987654321', agentExtension: null, parentProviderCallId: PARENT });
  });

  it('uses the receipt time when Twilio sends no usable Timestamp, and 0 s for an unanswered call without CallDuration', () => {
    const event = twilioCallStatusEvent(status({ Timestamp: 'not a date', CallStatus: 'no-answer', CallDuration: '' }), CONTEXT)!;
    expect(event.occurredAt).toEqual(CONTEXT.receivedAt);
    expect(event.durationSeconds).toBe(0);
  });

  it('returns null for an unknown status or a missing CallSid', () => {
    expect(twilioCallStatusEvent(status({ CallStatus: 'teleported' }), CONTEXT)).toBeNull();
    expect(twilioCallStatusEvent(status({ CallSid: '' }), CONTEXT)).toBeNull();
  });
});

describe('twilioRecordingEvent', () => {
  const recording = (overrides: Record<string, string> = {}) => ({
    AccountSid: AC,
    CallSid: PARENT,
    RecordingSid: `RE${'3'.repeat(32)}`,
    RecordingStatus: 'completed',
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${AC}/Recordings/RE${'3'.repeat(32)}`,
    RecordingDuration: '41',
    ...overrides,
  });

  it('maps a completed recording to a recording-only event (mp3 media URL)', () => {
    expect(twilioRecordingEvent(recording(), CONTEXT)).toMatchObject({
      providerCallId: PARENT,
      state: null,
      direction: null,
      recording: { url: `${recording().RecordingUrl}.mp3`, durationSeconds: 41 },
    });
  });

  it.each(['in-progress', 'absent', 'failed'])('ignores a %s recording', (RecordingStatus) => {
    expect(twilioRecordingEvent(recording({ RecordingStatus }), CONTEXT)).toBeNull();
  });
});

describe('genericPbxCallEvent', () => {
  const pbx = (overrides: Partial<GenericPbxEventPayload> = {}): GenericPbxEventPayload => ({
    event_id: 'e1',
    call_id: 'c1@pbx',
    type: 'call.ended',
    occurred_at: '2026-11-24T10:00:42Z',
    direction: 'inbound',
    from: '(415) 555-0100',
    to: '101',
    outcome: 'answered',
    duration_sec: 42,
    ...overrides,
  });

  it('maps an answered inbound call; the internal side is the agent', () => {
    expect(genericPbxCallEvent(pbx(), CONTEXT)).toMatchObject({
      idempotencyKey: 'pbx:conn-1:e1',
      providerCallId: 'c1@pbx',
      direction: CallDirection.Inbound,
      caller: '+14155550100',
      callee: null,
      state: CallState.Completed,
      durationSeconds: 42,
      agentExtension: '101',
    });
  });

  it.each([
    ['missed', CallState.Missed],
    ['rejected', CallState.Missed],
    ['canceled', CallState.Missed],
    ['busy', CallState.Busy],
    ['failed', CallState.Failed],
    ['voicemail', CallState.Voicemail],
  ] as const)('maps outcome %s to %s (0 s talk time unless given)', (outcome, state) => {
    const event = genericPbxCallEvent(pbx({ outcome, duration_sec: undefined }), CONTEXT)!;
    expect(event.state).toBe(state);
    expect(event.durationSeconds).toBe(0);
  });

  it('maps ringing/answered/recording events and an explicit extension', () => {
    expect(genericPbxCallEvent(pbx({ type: 'call.ringing', outcome: undefined }), CONTEXT)?.state).toBe(CallState.Ringing);
    const answered = genericPbxCallEvent(pbx({ type: 'call.answered', outcome: undefined, extension: '205' }), CONTEXT)!;
    expect(answered).toMatchObject({ state: CallState.Answered, answeredAt: new Date('2026-11-24T10:00:42Z'), agentExtension: '205' });
    const recorded = genericPbxCallEvent(pbx({ type: 'call.recording.ready', outcome: undefined, recording_url: 'https://pbx.example/r/c1.mp3' }), CONTEXT)!;
    expect(recorded).toMatchObject({ state: null, recording: { url: 'https://pbx.example/r/c1.mp3' } });
  });

  it('reads an outbound call: the agent is the caller, the customer the callee', () => {
    expect(genericPbxCallEvent(pbx({ direction: 'outbound', from: '101', to: '+55 11 98765-4321' }), CONTEXT)).toMatchObject({
      direction: CallDirection.Outbound,
      caller: null,
      callee: '+5511987654321',
      agentExtension: '101',
    });
  });
});
