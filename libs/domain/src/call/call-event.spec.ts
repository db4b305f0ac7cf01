import { VoipProvider } from '../account-settings/voip-connection';
import { aCallEvent, at } from '../../test/fakes/call';
import { CallDirection, CallState, createCallEvent, fromCallEventPayload, InvalidCallEventError, isTerminal, toCallEventPayload } from './index';

describe('CallEvent', () => {
  const minimal = {
    idempotencyKey: 'k1',
    provider: VoipProvider.GenericPbx,
    accountId: 7,
    connectionId: 'c',
    providerCallId: 'call-1',
    occurredAt: at(0),
  };

  it('fills what a delivery does not carry with null', () => {
    expect(createCallEvent(minimal)).toEqual({
      ...minimal,
      parentProviderCallId: null,
      direction: null,
      caller: null,
      callee: null,
      state: null,
      startedAt: null,
      answeredAt: null,
      endedAt: null,
      durationSeconds: null,
      recording: null,
      agentExtension: null,
      sequence: null,
    });
  });

  it.each([
    [{ idempotencyKey: ' ' }, 'idempotencyKey is empty'],
    [{ providerCallId: '' }, 'providerCallId is empty'],
    [{ accountId: 0 }, 'accountId must be a positive integer'],
    [{ provider: 'skype' as VoipProvider }, 'unknown provider skype'],
    [{ parentProviderCallId: 'call-1' }, 'a leg cannot be its own parent'],
    [{ state: 'hold' as CallState }, 'unknown state'],
    [{ direction: 'internal' as CallDirection }, 'unknown direction'],
    [{ caller: '5511987654321' as never }, 'caller is not E.164'],
    [{ durationSeconds: -1 }, 'durationSeconds must be a non-negative integer'],
    [{ durationSeconds: 1.5 }, 'durationSeconds must be a non-negative integer'],
    [{ occurredAt: new Date('nope') }, 'occurredAt is not a valid date'],
    [{ recording: { url: '', durationSeconds: 3 } }, 'recording.url is empty'],
    [{ sequence: Number.NaN }, 'sequence must be a finite number'],
  ])('rejects %p', (override, problem) => {
    try {
      createCallEvent({ ...minimal, ...override });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidCallEventError);
      expect((error as InvalidCallEventError).problems).toContain(problem);
      expect((error as InvalidCallEventError).code).toBe('CALL.INVALID_EVENT');
    }
  });

  it('survives the JSON round trip of a queue payload', () => {
    const event = aCallEvent({
      parentProviderCallId: 'CA-0',
      state: CallState.Completed,
      startedAt: at(1),
      answeredAt: at(2),
      endedAt: at(3),
      durationSeconds: 1,
      recording: { url: 'https://r/1', durationSeconds: 1 },
      agentExtension: '101',
      sequence: 3,
    });
    const payload = JSON.parse(JSON.stringify(toCallEventPayload(event)));
    expect(fromCallEventPayload(payload)).toEqual(event);
  });

  it('re-validates payloads coming back from the queue', () => {
    const payload = { ...toCallEventPayload(aCallEvent()), caller: '+55 11 98765-4321' };
    expect(() => fromCallEventPayload(payload)).toThrow('is not an E.164 phone number');
  });

  it('knows the terminal states', () => {
    expect(Object.values(CallState).filter(isTerminal)).toEqual(['completed', 'missed', 'busy', 'failed', 'voicemail']);
  });
});
