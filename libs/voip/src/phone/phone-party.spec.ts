import { classifyPhoneParty } from './phone-party';

describe('classifyPhoneParty', () => {
  it.each([
    ['+14155552671', 'US', '+14155552671'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['(11) 98765-4321', 'BR', '+5511987654321'],
    ['011 98765-4321', 'BR', '+5511987654321'],
    ['8 (912) 345-67-89', 'RU', '+79123456789'],
    ['00 55 11 98765 4321', 'PT', '+5511987654321'],
    ['sip:+5511987654321@pbx.example', 'BR', '+5511987654321'],
    ['+7 912 345-67-89', 'US', '+79123456789'],
  ])('normalises %p (default %s) to %s', (raw, country, expected) => {
    expect(classifyPhoneParty(raw, country)).toEqual({ kind: 'pstn', e164: expected });
  });

  it.each([
    ['client:kommo-user-42', 'kommo-user-42'],
    ['1001', '1001'],
    ['sip:alice@pbx.example', 'alice'],
    ['sip:101@10.0.0.1;transport=udp', '101'],
  ])('treats %p as an internal party (%s), never a customer number', (raw, identity) => {
    expect(classifyPhoneParty(raw, 'US')).toEqual({ kind: 'internal', identity });
  });

  it.each(['', 'anonymous', 'Restricted', '+266696687', '12345678901234567890', 'hello'])('cannot use %p', (raw) => {
    expect(classifyPhoneParty(raw, 'US').kind).toBe('unknown');
  });

  it('ignores an unsupported default country rather than guessing', () => {
    expect(classifyPhoneParty('(415) 555-2671', 'XX').kind).toBe('unknown');
    expect(classifyPhoneParty('+14155552671', 'XX')).toEqual({ kind: 'pstn', e164: '+14155552671' });
  });
});
