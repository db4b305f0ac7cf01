import { createHmac } from 'node:crypto';
import { KommoWidgetTokenVerifier, WidgetTokenError } from './kommo-widget-token';

const SECRET = 'client-secret-0123456789abcdef';
const CLIENT_ID = '3f2b9c1e-8d4a-4c7b-9e6f-1a2b3c4d5e6f';
const AUDIENCE = 'https://voip.example.com';
const NOW = new Date('2026-01-15T10:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function token(
  claims: Record<string, unknown>,
  options: { header?: Record<string, unknown>; secret?: string; algorithm?: 'sha256' | 'sha512' } = {},
): string {
  const signingInput = `${b64(options.header ?? { alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  const signature = createHmac(options.algorithm ?? 'sha256', options.secret ?? SECRET).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

const CLAIMS = {
  iss: 'https://acme.kommo.com',
  aud: AUDIENCE,
  jti: 'jti-1',
  iat: NOW_S - 10,
  nbf: NOW_S - 10,
  exp: NOW_S + 600,
  account_id: 42,
  subdomain: 'acme',
  user_id: 7,
  client_uuid: CLIENT_ID,
  is_admin: true,
};

describe('KommoWidgetTokenVerifier', () => {
  const sut = new KommoWidgetTokenVerifier({ clientSecret: SECRET, clientId: CLIENT_ID, audience: AUDIENCE, clockSkewSeconds: 30 });

  const reasonOf = (jwt: string): string => {
    try {
      sut.verify(jwt, NOW);
    } catch (error) {
      expect(error).toBeInstanceOf(WidgetTokenError);
      return (error as WidgetTokenError).reason;
    }
    throw new Error('the token was accepted');
  };

  it('accepts a valid token and returns its claims', () => {
    expect(sut.verify(token(CLAIMS), NOW)).toEqual({
      accountId: 42,
      userId: 7,
      subdomain: 'acme',
      issuerHost: 'acme.kommo.com',
      isAdmin: true,
      jti: 'jti-1',
      expiresAt: new Date((NOW_S + 600) * 1000),
    });
  });

  it('accepts numeric ids sent as strings and derives the subdomain from iss when absent', () => {
    const { subdomain: _subdomain, is_admin: _isAdmin, jti: _jti, ...rest } = CLAIMS;

    expect(sut.verify(token({ ...rest, account_id: '42', user_id: '7' }), NOW)).toMatchObject({
      accountId: 42,
      userId: 7,
      subdomain: 'acme',
      isAdmin: null,
      jti: null,
    });
  });

  it('accepts an audience with a trailing slash or in an array', () => {
    expect(sut.verify(token({ ...CLAIMS, aud: `${AUDIENCE}/` }), NOW).accountId).toBe(42);
    expect(sut.verify(token({ ...CLAIMS, aud: ['https://other.example.com', AUDIENCE] }), NOW).accountId).toBe(42);
  });

  it('refuses an expired token', () => {
    expect(reasonOf(token({ ...CLAIMS, exp: NOW_S - 31 }))).toBe('expired');
  });

  it('tolerates the configured clock skew on exp, and no more', () => {
    expect(sut.verify(token({ ...CLAIMS, exp: NOW_S - 29 }), NOW).accountId).toBe(42);
    expect(reasonOf(token({ ...CLAIMS, exp: NOW_S - 30 }))).toBe('expired');
  });

  it('refuses a token without exp', () => {
    const { exp: _exp, ...noExp } = CLAIMS;
    expect(reasonOf(token(noExp))).toBe('no exp');
  });

  it('refuses a token whose nbf is in the future', () => {
    expect(reasonOf(token({ ...CLAIMS, nbf: NOW_S + 60, iat: NOW_S - 10 }))).toBe('not yet valid');
  });

  it('refuses a token issued in the future', () => {
    expect(reasonOf(token({ ...CLAIMS, nbf: NOW_S, iat: NOW_S + 60 }))).toBe('issued in the future');
  });

  it.each([['https://evil.example.com'], ['http://voip.example.com'], [undefined], [['https://evil.example.com']], [42]])(
    'refuses the audience %p',
    (aud) => {
      expect(reasonOf(token({ ...CLAIMS, aud }))).toBe('wrong audience');
    },
  );

  it('refuses a token signed with another secret', () => {
    expect(reasonOf(token(CLAIMS, { secret: 'another-secret-0123456789abcdef' }))).toBe('bad signature');
  });

  it('refuses a token whose claims were changed after signing', () => {
    const [header, , signature] = token(CLAIMS).split('.');
    const forged = `${header}.${b64({ ...CLAIMS, account_id: 43 })}.${signature}`;

    expect(reasonOf(forged)).toBe('bad signature');
  });

  it('refuses alg "none", with or without a signature', () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(CLAIMS)}.`;
    expect(reasonOf(unsigned)).toBe('unexpected algorithm');
    expect(reasonOf(token(CLAIMS, { header: { alg: 'none' } }))).toBe('unexpected algorithm');
  });

  it('refuses HS512, even when correctly signed with the secret', () => {
    expect(reasonOf(token(CLAIMS, { header: { alg: 'HS512', typ: 'JWT' }, algorithm: 'sha512' }))).toBe('unexpected algorithm');
  });

  it('refuses a header without alg', () => {
    expect(reasonOf(token(CLAIMS, { header: { typ: 'JWT' } }))).toBe('unexpected algorithm');
  });

  it.each([
    ['missing', undefined],
    ['zero', 0],
    ['negative', -1],
    ['fractional', 4.2],
    ['non-numeric', 'acme'],
  ])('refuses a %s account_id', (_label, accountId) => {
    expect(reasonOf(token({ ...CLAIMS, account_id: accountId }))).toBe('missing account_id or user_id');
  });

  it('refuses a missing user_id', () => {
    const { user_id: _userId, ...noUser } = CLAIMS;
    expect(reasonOf(token(noUser))).toBe('missing account_id or user_id');
  });

  it.each(['http://acme.kommo.com', 'acme.kommo.com', '', 'not a url'])('refuses the iss %p (not https)', (iss) => {
    expect(reasonOf(token({ ...CLAIMS, iss }))).toBe('bad iss');
  });

  it('refuses a token issued for another integration', () => {
    expect(reasonOf(token({ ...CLAIMS, client_uuid: '00000000-0000-4000-8000-000000000000' }))).toBe('issued for another integration');
  });

  it.each(['', 'a.b', 'a.b.c.d', `${b64(CLAIMS)}.${b64(CLAIMS)}`, `!!!.${b64(CLAIMS)}.sig`, `${b64([1])}.${b64(CLAIMS)}.sig`])(
    'refuses the malformed token %p',
    (jwt) => {
      expect(reasonOf(jwt)).toBe('malformed');
    },
  );

  it('refuses a signed payload that is not a JSON object', () => {
    const signingInput = `${b64({ alg: 'HS256' })}.${Buffer.from('[1,2]').toString('base64url')}`;
    const jwt = `${signingInput}.${createHmac('sha256', SECRET).update(signingInput).digest('base64url')}`;

    expect(reasonOf(jwt)).toBe('malformed');
  });
});
