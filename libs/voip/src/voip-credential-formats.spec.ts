import { VoipProvider } from '@app/domain';
import { voipCredentialProblems } from './voip-credential-formats';

const HEX32 = '0123456789abcdef0123456789abcdef';
const VALID_TWILIO = {
  accountSid: `AC${HEX32}`,
  authToken: HEX32,
  apiKeySid: `SK${HEX32}`,
  apiKeySecret: 'AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  twimlAppSid: `AP${HEX32}`,
  callerId: '+14155550123',
};

describe('voipCredentialProblems', () => {
  it('accepts well-formed Twilio credentials', () => {
    expect(voipCredentialProblems(VoipProvider.Twilio, VALID_TWILIO)).toEqual([]);
  });

  it.each([
    ['accountSid', `SK${HEX32}`, 'an Account SID'],
    ['accountSid', `AC${HEX32.slice(1)}`, 'an Account SID'],
    ['accountSid', `AC${HEX32.toUpperCase()}`, 'an Account SID'],
    ['accountSid', ` AC${HEX32}`, 'an Account SID'],
    ['authToken', `${HEX32}0`, 'an Auth Token'],
    ['authToken', HEX32.replace('a', 'g'), 'an Auth Token'],
    ['apiKeySid', `AC${HEX32}`, 'an API key SID'],
    ['apiKeySecret', 'AbCdEfGhIjKlMnOpQrStUvWxYz01234-', 'an API key secret'],
    ['apiKeySecret', 'short', 'an API key secret'],
    ['twimlAppSid', `AC${HEX32}`, 'a TwiML App SID'],
    ['twimlAppSid', `AP${HEX32}0`, 'a TwiML App SID'],
    ['callerId', '(415) 555-0123', 'a phone number in E.164 form'],
    ['callerId', '+0415555012', 'a phone number in E.164 form'],
  ])('refuses the Twilio %s %p', (field, value, hint) => {
    const problems = voipCredentialProblems(VoipProvider.Twilio, { ...VALID_TWILIO, [field]: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`credentials.${field} must be ${hint}`);
  });

  it('lists every problem', () => {
    expect(voipCredentialProblems(VoipProvider.Twilio, { accountSid: 'x', authToken: 'y' })).toHaveLength(2);
  });

  it.each([[''], ['   '], [42], [null], [{ nested: true }]])('refuses the non-string or blank value %p for any provider', (value) => {
    for (const provider of Object.values(VoipProvider)) {
      expect(voipCredentialProblems(provider, { field: value })).toEqual(['credentials.field must be a non-empty string']);
    }
  });

  it('refuses values longer than 4096 characters', () => {
    expect(voipCredentialProblems(VoipProvider.Zenvia, { accessToken: 'x'.repeat(4097) })).toEqual([
      'credentials.accessToken is longer than 4096 characters',
    ]);
    expect(voipCredentialProblems(VoipProvider.Zenvia, { accessToken: 'x'.repeat(4096) })).toEqual([]);
  });

  it('leaves field presence and unknown fields to the domain', () => {
    expect(voipCredentialProblems(VoipProvider.Twilio, {})).toEqual([]);
    expect(voipCredentialProblems(VoipProvider.Twilio, { somethingElse: 'value' })).toEqual([]);
  });

  it('has no format rules for providers without documented formats', () => {
    expect(voipCredentialProblems(VoipProvider.RingCentral, { clientId: 'any', clientSecret: 'any', jwt: 'a.b.c' })).toEqual([]);
  });
});
