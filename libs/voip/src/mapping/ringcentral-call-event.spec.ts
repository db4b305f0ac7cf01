import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Call, CallDirection, CallState, VoipProvider } from '@app/domain';
import { ringCentralCallLogEvent, ringCentralTelephonySessionEvent } from './ringcentral-call-event';

/** Conformance: recorded payloads shaped as RingCentral documents them (test/fixtures/providers/ringcentral). */
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/providers/ringcentral', name), 'utf8')) as Record<string, unknown>;
const CONTEXT = { accountId: 31000001, connectionId: 'conn-rc', defaultCountry: 'US', receivedAt: new Date('2026-11-24T10:05:00Z') };
const SESSION = 's-a0d7c4b6e1e4fz17c5d9d1b9ez1c8f4b0000';
const PARTY = 'p-a0d7c4b6e1e4fz17c5d9d1b9ez1c8f4b0000-2';

describe('ringCentralTelephonySessionEvent', () => {
  it('maps an inbound party to a leg of the session: caller E.164, the extension id as agent, eventTime, sequence', () => {
    expect(ringCentralTelephonySessionEvent(fixture('telephony-session-inbound-proceeding.json'), CONTEXT)).toMatchObject({
      idempotencyKey: 'ringcentral:conn-rc:8116213225474441684',
      provider: VoipProvider.RingCentral,
      providerCallId: PARTY,
      parentProviderCallId: SESSION,
      direction: CallDirection.Inbound,
      caller: '+14155550100',
      callee: null,
      state: CallState.Ringing,
      occurredAt: new Date('2026-11-24T10:00:00.511Z'),
      agentExtension: 'rc_62264425012',
      sequence: 2,
    });
  });

  it.each([
    ['telephony-session-inbound-setup.json', CallState.Ringing],
    ['telephony-session-inbound-answered.json', CallState.Answered],
    ['telephony-session-inbound-disconnected.json', CallState.Completed],
    ['telephony-session-inbound-missed.json', CallState.Missed],
  ])('maps %s to %s', (name, state) => {
    expect(ringCentralTelephonySessionEvent(fixture(name), CONTEXT)?.state).toBe(state);
  });

  it('merges setup → answered → disconnected (shuffled) into one answered call with talk time answer → hang-up', () => {
    const names = ['telephony-session-inbound-disconnected.json', 'telephony-session-inbound-setup.json', 'telephony-session-inbound-answered.json', 'telephony-session-inbound-proceeding.json'];
    const events = names.map((name) => ringCentralTelephonySessionEvent(fixture(name), CONTEXT)!);
    const call = Call.start({ id: 'c1', accountId: CONTEXT.accountId, provider: VoipProvider.RingCentral, providerCallId: events[0].providerCallId, connectionId: 'conn-rc' });
    for (const event of events) call.apply(event);
    expect(call.outcome).toBe(CallState.Completed);
    expect(call.durationSeconds).toBe(42);
    expect(call.customerNumber).toBe('+14155550100');
    expect(call.agentExtension).toBe('rc_62264425012');
    expect(call.direction).toBe(CallDirection.Inbound);
  });

  it('reads a RingOut (click-to-call) as outbound to the customer', () => {
    expect(ringCentralTelephonySessionEvent(fixture('telephony-session-ringout-answered.json'), CONTEXT)).toMatchObject({
      direction: CallDirection.Outbound,
      callee: '+14155550100',
      caller: null,
      state: CallState.Answered,
    });
  });

  it.each([
    ['TargetBusy', CallState.Busy],
    ['NoAnswer', CallState.Missed],
    ['InvalidNumber', CallState.Failed],
  ])('maps a Disconnected party with reason %s to %s', (reason, state) => {
    const payload = fixture('telephony-session-inbound-disconnected.json');
    const party = (payload.body as { parties: { status: Record<string, unknown> }[] }).parties[0];
    party.status = { code: 'Disconnected', reason, rcc: false };
    expect(ringCentralTelephonySessionEvent(payload, CONTEXT)?.state).toBe(state);
  });

  it('keeps raw (null) what it cannot read: unknown status code, no party of ours, no telephonySessionId', () => {
    const unknownCode = fixture('telephony-session-inbound-answered.json');
    (unknownCode.body as { parties: { status: Record<string, unknown> }[] }).parties[0].status = { code: 'Teleported' };
    expect(ringCentralTelephonySessionEvent(unknownCode, CONTEXT)).toBeNull();
    const farEnd = fixture('telephony-session-inbound-answered.json');
    const party = (farEnd.body as { parties: Record<string, unknown>[] }).parties[0];
    delete party.extensionId;
    delete (party.to as Record<string, unknown>).extensionId;
    expect(ringCentralTelephonySessionEvent(farEnd, CONTEXT)).toBeNull();
    const noSession = fixture('telephony-session-inbound-answered.json');
    delete (noSession.body as Record<string, unknown>).telephonySessionId;
    expect(ringCentralTelephonySessionEvent(noSession, CONTEXT)).toBeNull();
  });
});

describe('ringCentralCallLogEvent', () => {
  const records = (fixture('call-log.json').records as Record<string, unknown>[]).map((record) => ringCentralCallLogEvent(record, CONTEXT)!);

  it('maps an accepted inbound record with its recording (media host contentUri) to a terminal event of the session', () => {
    expect(records[0]).toMatchObject({
      idempotencyKey: 'ringcentral:conn-rc:calllog:Y3s9vLq3WVZqUA:4144165016',
      providerCallId: SESSION,
      parentProviderCallId: null,
      direction: CallDirection.Inbound,
      caller: '+14155550100',
      state: CallState.Completed,
      durationSeconds: 42,
      startedAt: new Date('2026-11-24T10:00:00.112Z'),
      endedAt: new Date('2026-11-24T10:00:42.112Z'),
      recording: { url: 'https://media.ringcentral.com/restapi/v1.0/account/256440016/recording/4144165016/content', durationSeconds: 42 },
      agentExtension: 'rc_62264425012',
    });
  });

  it('maps a missed record (0 s) and a RingOut record (outbound, callee is the customer)', () => {
    expect(records[1]).toMatchObject({ state: CallState.Missed, durationSeconds: 0, recording: null });
    expect(records[2]).toMatchObject({ direction: CallDirection.Outbound, callee: '+14155550100', state: CallState.Completed, durationSeconds: 65 });
  });

  it('returns null for a result it does not know', () => {
    const record = { ...(fixture('call-log.json').records as Record<string, unknown>[])[0], result: 'Teleported' };
    expect(ringCentralCallLogEvent(record, CONTEXT)).toBeNull();
  });
});
