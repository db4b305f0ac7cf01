import { redact, REDACTED, redactText } from './redact';

describe('redact', () => {
  it('hides secret fields at any depth, keeps the rest', () => {
    const out = redact({
      accountId: 31000001,
      headers: { Authorization: 'Bearer abc.def', 'X-Auth-Token': 'jwt', 'X-Twilio-Signature': 'sig==', accept: 'application/json' },
      body: { access_token: 'a1', refresh_token: 'r1', client_secret: 's1', grant_type: 'refresh_token' },
      credentials: { accountSid: 'AC1', authToken: 't' },
      list: [{ password: 'p' }],
    });
    expect(out).toEqual({
      accountId: 31000001,
      headers: { Authorization: REDACTED, 'X-Auth-Token': REDACTED, 'X-Twilio-Signature': REDACTED, accept: 'application/json' },
      body: { access_token: REDACTED, refresh_token: REDACTED, client_secret: REDACTED, grant_type: 'refresh_token' },
      credentials: REDACTED,
      list: [{ password: REDACTED }],
    });
  });

  it('hides an OAuth code but keeps error codes and statuses readable', () => {
    expect(redact({ code: 'def50200a1b2c3d4e5f6', referer: 'demo.kommo.com' })).toEqual({ code: REDACTED, referer: 'demo.kommo.com' });
    expect(redact({ code: 'KOMMO.ACCOUNT_BLOCKED' })).toEqual({ code: 'KOMMO.ACCOUNT_BLOCKED' });
    expect(redact({ code: 'ECONNREFUSED', status: 503 })).toEqual({ code: 'ECONNREFUSED', status: 503 });
    expect(redact({ code: 404 })).toEqual({ code: 404 });
  });

  it('redacts secrets inside free text', () => {
    expect(redactText('GET /kommo/oauth/callback?code=def502abc&referer=demo.kommo.com')).toBe(
      `GET /kommo/oauth/callback?code=${REDACTED}&referer=demo.kommo.com`,
    );
    expect(redactText('/recordings/1/c.mp3?sig=abcdef')).toBe(`/recordings/1/c.mp3?sig=${REDACTED}`);
    expect(redactText('header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sgn')).not.toContain('eyJ');
    expect(redactText('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl in message')).toBe(`token ${REDACTED} in message`);
    expect(redactText('postgres://app:s3cret@db:5432/x and redis://:pw@r:6379')).toBe(`postgres://app:${REDACTED}@db:5432/x and redis://:${REDACTED}@r:6379`);
    expect(redactText('{"access_token":"a.b.c","expires_in":86400}')).toBe(`{"access_token":"${REDACTED}","expires_in":86400}`);
    expect(redactText('X-Twilio-Signature: 0123abc=')).toBe(`X-Twilio-Signature: ${REDACTED}`);
    expect(redactText('call 42 logged for account 31000001')).toBe('call 42 logged for account 31000001');
  });

  it('survives cycles and errors', () => {
    const node: Record<string, unknown> = { name: 'a' };
    node.self = node;
    expect(redact(node)).toEqual({ name: 'a', self: '[circular]' });
    const error = redact(new Error('refresh failed: {"refresh_token":"r9"}')) as { message: string };
    expect(error.message).toBe(`refresh failed: {"refresh_token":"${REDACTED}"}`);
  });
});
