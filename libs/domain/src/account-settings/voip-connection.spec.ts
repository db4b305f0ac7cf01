import { maskSecret, VOIP_CREDENTIALS, VoipProvider } from './voip-connection';

describe('maskSecret', () => {
  it('shows only the last 4 characters of a long secret', () => {
    expect(maskSecret('abcdefghijkl1234')).toBe('••••••••1234');
  });

  it('shows the last 4 from 12 characters on', () => {
    expect(maskSecret('abcdefgh5678')).toBe('••••••••5678');
  });

  it('shows nothing of a secret shorter than 12 characters', () => {
    expect(maskSecret('abcdefg9876')).toBe('••••••••');
    expect(maskSecret('x')).toBe('••••••••');
    expect(maskSecret('')).toBe('••••••••');
  });

  it('does not reveal the length of the secret', () => {
    expect(maskSecret('a'.repeat(12)).length).toBe(maskSecret('a'.repeat(400)).length);
  });
});

describe('VOIP_CREDENTIALS', () => {
  it('describes every provider', () => {
    expect(Object.keys(VOIP_CREDENTIALS).sort()).toEqual(Object.values(VoipProvider).sort());
  });

  it('never lets an administrator enter a generated secret', () => {
    for (const spec of Object.values(VOIP_CREDENTIALS)) {
      for (const field of spec.generated) {
        expect([...spec.required, ...spec.optional]).not.toContain(field);
      }
    }
  });
});
