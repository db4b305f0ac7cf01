import { VoipProvider } from '@app/domain';
import { createHmac } from 'node:crypto';
import { dialableNumber } from '../phone/dialable-number';
import { mintSoftphoneToken, TwilioSoftphoneTokenIssuer } from './twilio-access-token';
import { twilioOutboundBridgeUrl } from './twilio-click-to-call.gateway';
import { hangupTwiml, outboundDialTwiml, refusedCallTwiml } from './twilio-outbound-twiml';

const HEX = '0123456789abcdef0123456789abcdef';

describe('outbound TwiML', () => {
  it('dials the customer with our caller ID, leg callbacks, recording and the dial-ended action', () => {
    const xml = outboundDialTwiml({
      to: '+5511912345678',
      callerId: '+14155550123',
      statusCallbackUrl: 'https://x.test/voip/twilio/k/status',
      recordingStatusCallbackUrl: 'https://x.test/voip/twilio/k/recording',
      dialEndedUrl: 'https://x.test/voip/twilio/k/outbound/dial-ended',
      record: true,
      ringSeconds: 40,
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="+14155550123" answerOnBridge="true" timeout="40" action="https://x.test/voip/twilio/k/outbound/dial-ended" method="POST" record="record-from-answer-dual" recordingStatusCallback="https://x.test/voip/twilio/k/recording" recordingStatusCallbackEvent="completed">' +
        '<Number statusCallback="https://x.test/voip/twilio/k/status" statusCallbackEvent="initiated ringing answered completed" statusCallbackMethod="POST">+5511912345678</Number></Dial></Response>',
    );
  });

  it('does not record when recordings are off; refusals say why and hang up', () => {
    const xml = outboundDialTwiml({ to: '+1', callerId: '+2', statusCallbackUrl: 's', recordingStatusCallbackUrl: 'r', dialEndedUrl: 'd', record: false, ringSeconds: 5 });
    expect(xml).not.toContain('record=');
    expect(refusedCallTwiml('No <way> & no')).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>No &lt;way&gt; &amp; no</Say><Hangup/></Response>');
    expect(hangupTwiml()).toContain('<Hangup/>');
  });

  it('builds the bridge URL of a click-to-call with the customer number encoded', () => {
    expect(twilioOutboundBridgeUrl('https://x.test/base/', 'key123', '+5511912345678')).toBe('https://x.test/base/voip/twilio/key123/outbound-bridge?to=%2B5511912345678');
  });
});

describe('softphone access token', () => {
  it('is a Twilio AccessToken with a VoiceGrant, signed with the API key secret', () => {
    const minted = mintSoftphoneToken({ accountSid: `AC${HEX}`, apiKeySid: `SK${HEX}`, apiKeySecret: 's'.repeat(32), twimlAppSid: `AP${HEX}`, identity: 'anna_1', ttlSeconds: 600 });
    const [header, payload, signature] = minted.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: `SK${HEX}`, sub: `AC${HEX}`, grants: { identity: 'anna_1', voice: { incoming: { allow: true }, outgoing: { application_sid: `AP${HEX}` } } } });
    expect(claims.exp).toBe((claims.iat as number) + 600);
    expect(minted.expiresAt.getTime()).toBe((claims.exp as number) * 1000);
    expect(signature).toBe(createHmac('sha256', 's'.repeat(32)).update(`${header}.${payload}`).digest('base64url'));
  });

  it('refuses identities Twilio would refuse (hyphens, spaces)', () => {
    const input = { accountSid: `AC${HEX}`, apiKeySid: `SK${HEX}`, apiKeySecret: 's'.repeat(32), twimlAppSid: `AP${HEX}`, ttlSeconds: 600 };
    expect(() => mintSoftphoneToken({ ...input, identity: 'anna-1' })).toThrow('letters, digits and underscores');
    const issuer = new TwilioSoftphoneTokenIssuer();
    const connection = { id: 'c', accountId: 1, provider: VoipProvider.Twilio, pathKey: 'k', credentials: { accountSid: input.accountSid, apiKeySid: input.apiKeySid, apiKeySecret: input.apiKeySecret, twimlAppSid: input.twimlAppSid }, createdAt: new Date(), updatedAt: new Date() };
    expect(issuer.issue(connection, 'anna_1', 120)).toMatchObject({ identity: 'anna_1', ttlSeconds: 120 });
  });
});

describe('dialableNumber', () => {
  it.each([
    ['+1 (415) 555-0100', '+14155550100'],
    ['(415) 555-0100', '+14155550100'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('reads %p as %p', (raw, e164) => {
    expect(dialableNumber(raw, 'US')).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', 'empty'],
    ['+1 415', 'too short'],
    ['101', 'internal extension'],
    ['+1 415 555 01000000000', 'too long'],
    ['call me', 'no digits'],
  ])('refuses %p saying why (%s)', (raw, why) => {
    const result = dialableNumber(raw, 'US');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(why);
  });
});
