import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CallDirection, CallState } from '@app/domain';
import { twilioCallLogEvent } from './twilio-call-log';

/** Conformance: records of Twilio's Calls list as documented (snake_case JSON): test/fixtures/providers/twilio. */
const list = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/providers/twilio/calls-list.json'), 'utf8')) as { calls: Record<string, unknown>[] };
const CONTEXT = { accountId: 31000001, connectionId: 'conn-tw', defaultCountry: 'US', receivedAt: new Date('2026-11-24T10:05:00Z') };

describe('twilioCallLogEvent', () => {
  it('maps listed calls to terminal events (RFC 2822 times, duration, direction)', () => {
    const [answered, missed, clickToCall] = list.calls.map((call) => twilioCallLogEvent(call, CONTEXT)!);
    expect(answered).toMatchObject({
      providerCallId: `CA${'c1'.repeat(16)}`,
      idempotencyKey: `twilio:AC${'b2'.repeat(16)}:calllog:CA${'c1'.repeat(16)}:completed`,
      direction: CallDirection.Inbound,
      caller: '+14155550100',
      state: CallState.Completed,
      durationSeconds: 42,
      startedAt: new Date('2026-11-24T09:00:00Z'),
      endedAt: new Date('2026-11-24T09:00:42Z'),
    });
    expect(missed).toMatchObject({ state: CallState.Missed, durationSeconds: 0 });
    expect(clickToCall).toMatchObject({ direction: CallDirection.Outbound, callee: '+14155550100', durationSeconds: 65 });
  });

  it('joins child legs to their parent and ignores calls still in progress', () => {
    const child = { ...list.calls[0], sid: `CA${'d4'.repeat(16)}`, parent_call_sid: `CA${'c1'.repeat(16)}`, direction: 'outbound-dial' };
    expect(twilioCallLogEvent(child, CONTEXT)).toMatchObject({ parentProviderCallId: `CA${'c1'.repeat(16)}`, direction: null });
    expect(twilioCallLogEvent({ ...list.calls[0], status: 'in-progress' }, CONTEXT)).toBeNull();
  });
});
