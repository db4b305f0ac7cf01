import { checkGenericPbxSignature, signGenericPbxPayload } from './generic-pbx-signature';

describe('generic PBX signature', () => {
  const secret = 'whsec_0123456789abcdef';
  const body = Buffer.from('{"event_id":"e1","call_id":"c1","type":"call.ended"}');
  const now = 1_790_000_000;
  const check = (overrides: Partial<Parameters<typeof checkGenericPbxSignature>[0]> = {}) =>
    checkGenericPbxSignature({
      secret,
      timestampHeader: String(now),
      signatureHeader: signGenericPbxPayload(secret, now, body),
      rawBody: body,
      nowSeconds: now,
      ...overrides,
    });

  it('accepts the signature of the exact body and timestamp', () => {
    expect(check()).toBeNull();
    expect(signGenericPbxPayload(secret, now, body)).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('accepts any one valid signature among several (secret rotation)', () => {
    expect(check({ signatureHeader: `v1=${'0'.repeat(64)}, ${signGenericPbxPayload(secret, now, body)}` })).toBeNull();
  });

  it.each([
    ['a changed body', { rawBody: Buffer.from('{"event_id":"e2"}') }],
    ['another secret', { secret: 'other-secret' }],
    ['a signature of another timestamp', { signatureHeader: signGenericPbxPayload(secret, now - 1, body) }],
    ['a truncated signature', { signatureHeader: signGenericPbxPayload(secret, now, body).slice(0, 20) }],
  ])('refuses %s', (_name, overrides) => {
    expect(check(overrides)).toBe('mismatch');
  });

  it('refuses deliveries outside the 5-minute tolerance, both ways', () => {
    expect(check({ nowSeconds: now + 301 })).toBe('stale');
    expect(check({ nowSeconds: now - 301 })).toBe('stale');
    expect(check({ nowSeconds: now + 300 })).toBeNull();
  });

  it.each([
    ['no timestamp', { timestampHeader: undefined }],
    ['no signature', { signatureHeader: undefined }],
    ['a non-numeric timestamp', { timestampHeader: '2026-01-01' }],
    ['an empty secret', { secret: '' }],
  ])('reports %s as missing', (_name, overrides) => {
    expect(check(overrides)).toBe('missing');
  });
});
