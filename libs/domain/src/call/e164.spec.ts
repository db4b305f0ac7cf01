import { e164, e164OrNull, InvalidE164Error, isE164 } from './index';

describe('E164', () => {
  it.each(['+5511987654321', '+14155552671', '+79123456789', '+4930123'])('accepts %p', (value) => {
    expect(isE164(value)).toBe(true);
    expect(e164(value)).toBe(value);
  });

  it.each(['5511987654321', '+0511987654321', '+55 11 98765-4321', '(415) 555-2671', '+12345', '+1234567890123456', '1001', 'client:kommo-user-42', ''])(
    'rejects %p (the domain never parses human formats)',
    (value) => {
      expect(isE164(value)).toBe(false);
      expect(() => e164(value)).toThrow(InvalidE164Error);
    },
  );

  it('keeps anonymous numbers null', () => {
    expect(e164OrNull(null)).toBeNull();
    expect(e164OrNull(undefined)).toBeNull();
    expect(e164OrNull('+14155552671')).toBe('+14155552671');
  });

  it('has a stable error code', () => {
    expect(new InvalidE164Error('x').code).toBe('CALL.INVALID_E164');
    expect(new InvalidE164Error('x').retryable).toBe(false);
  });
});
