import { allowedPbxRecordingUrl, allowedRecordingUrl, resolvesToPublicAddresses, SignedRecordingLinks } from './recording-links';

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

describe('allowedPbxRecordingUrl', () => {
  it('accepts only the configured host (and port), https unless private networks are allowed', () => {
    expect(allowedPbxRecordingUrl('https://pbx.example.com/rec/1.mp3', 'pbx.example.com', false)?.pathname).toBe('/rec/1.mp3');
    expect(allowedPbxRecordingUrl('https://PBX.example.com:8443/rec/1.mp3', 'pbx.example.com:8443', false)).not.toBeNull();
    expect(allowedPbxRecordingUrl('https://pbx.example.com:8443/rec/1.mp3', 'pbx.example.com', false)).toBeNull();
    expect(allowedPbxRecordingUrl('https://evil.example.com/rec/1.mp3', 'pbx.example.com', false)).toBeNull();
    expect(allowedPbxRecordingUrl('https://u:p@pbx.example.com/rec/1.mp3', 'pbx.example.com', false)).toBeNull();
    expect(allowedPbxRecordingUrl('http://pbx.example.com/rec/1.mp3', 'pbx.example.com', false)).toBeNull();
    expect(allowedPbxRecordingUrl('http://pbx.example.com/rec/1.mp3', 'pbx.example.com', true)).not.toBeNull();
    expect(allowedPbxRecordingUrl('https://pbx.example.com/rec/1.mp3', undefined, true)).toBeNull();
  });
});

describe('resolvesToPublicAddresses', () => {
  it.each(['127.0.0.1', 'localhost', '10.1.2.3', '192.168.0.10', '172.20.0.1', '169.254.169.254', '[::1]', '0.0.0.0', 'no-such-host.invalid'])(
    'refuses %s',
    async (host) => {
      await expect(resolvesToPublicAddresses(host)).resolves.toBe(false);
    },
  );

  it.each(['8.8.8.8', '1.1.1.1', '[2606:4700:4700::1111]'])('accepts the public address %s', async (host) => {
    await expect(resolvesToPublicAddresses(host)).resolves.toBe(true);
  });
});
