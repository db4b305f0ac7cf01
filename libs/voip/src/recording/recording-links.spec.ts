import { allowedRecordingUrl, SignedRecordingLinks } from './recording-links';

describe('SignedRecordingLinks', () => {
  const links = new SignedRecordingLinks('https://voip.example.com', Buffer.alloc(32, 7));

  it('signs a stable link per account and call', () => {
    const link = links.linkFor(31000001, 'call-1');
    expect(link).toMatch(/^https:\/\/voip\.example\.com\/recordings\/31000001\/call-1\.mp3\?sig=[A-Za-z0-9_-]{43}$/);
    expect(links.linkFor(31000001, 'call-1')).toBe(link);
    const sig = new URL(link).searchParams.get('sig')!;
    expect(links.isValid(31000001, 'call-1', sig)).toBe(true);
  });

  it('refuses the signature of another call, account or key', () => {
    const sig = new URL(links.linkFor(31000001, 'call-1')).searchParams.get('sig')!;
    expect(links.isValid(31000001, 'call-2', sig)).toBe(false);
    expect(links.isValid(31000002, 'call-1', sig)).toBe(false);
    expect(new SignedRecordingLinks('https://voip.example.com', Buffer.alloc(32, 8)).isValid(31000001, 'call-1', sig)).toBe(false);
    expect(links.isValid(31000001, 'call-1', undefined)).toBe(false);
    expect(links.isValid(31000001, 'call-1', sig.slice(1))).toBe(false);
  });
});

describe('allowedRecordingUrl', () => {
  it("accepts https URLs on the provider's media hosts only", () => {
    expect(allowedRecordingUrl('twilio', 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.mp3')?.hostname).toBe('api.twilio.com');
    for (const url of [
      'http://api.twilio.com/x.mp3',
      'https://api.twilio.com.evil.example/x.mp3',
      'https://user:pass@api.twilio.com/x.mp3',
      'https://api.twilio.com:8443/x.mp3',
      'https://169.254.169.254/latest/meta-data',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(allowedRecordingUrl('twilio', url)).toBeNull();
    }
    expect(allowedRecordingUrl('generic_pbx', 'https://pbx.example.com/r/1.mp3')).toBeNull();
    expect(allowedRecordingUrl('generic_pbx', 'https://pbx.example.com/r/1.mp3', ['pbx.example.com'])?.hostname).toBe('pbx.example.com');
  });
});
