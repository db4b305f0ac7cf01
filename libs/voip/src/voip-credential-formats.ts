import { VoipProvider } from '@app/domain';

const FORMATS: Partial<Record<VoipProvider, Record<string, { pattern: RegExp; hint: string }>>> = {
  [VoipProvider.Twilio]: {
    accountSid: { pattern: /^AC[0-9a-f]{32}$/, hint: 'an Account SID: "AC" followed by 32 hex characters' },
    authToken: { pattern: /^[0-9a-f]{32}$/, hint: 'an Auth Token: 32 hex characters' },
    apiKeySid: { pattern: /^SK[0-9a-f]{32}$/, hint: 'an API key SID: "SK" followed by 32 hex characters' },
    apiKeySecret: { pattern: /^[0-9A-Za-z]{32}$/, hint: 'an API key secret: 32 letters or digits' },
    // The TwiML App whose Voice URL is our /outbound route (softphone calls; its SID goes into the VoiceGrant).
    twimlAppSid: { pattern: /^AP[0-9a-f]{32}$/, hint: 'a TwiML App SID: "AP" followed by 32 hex characters' },
    // The number customers see on click-to-call (a Twilio number or a verified caller ID of the account).
    callerId: { pattern: /^\+[1-9]\d{6,14}$/, hint: 'a phone number in E.164 form such as +14155550100 (a Twilio number or verified caller ID)' },
  },
  // Client ID/secret and the Zenvia token have no documented format: only presence and length are checked.
  [VoipProvider.RingCentral]: {
    jwt: { pattern: /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, hint: 'a RingCentral JWT credential: three base64url parts separated by dots' },
    callerId: { pattern: /^\+[1-9]\d{6,14}$/, hint: 'a phone number of the RingCentral account in E.164 form such as +14155550100' },
  },
  [VoipProvider.Zenvia]: {
    callerId: { pattern: /^\+[1-9]\d{6,14}$/, hint: 'a number (bina) of the Zenvia account in E.164 form such as +5511912345678' },
  },
  [VoipProvider.GenericPbx]: {
    recordingHost: {
      pattern: /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/i,
      hint: 'a host name such as pbx.example.com (optionally with :port), without scheme or path',
    },
  },
};

const MAX_CREDENTIAL_LENGTH = 4096;

/** Format problems of entered credentials (field presence is the domain's business). */
export function voipCredentialProblems(provider: VoipProvider, credentials: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [field, value] of Object.entries(credentials)) {
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`credentials.${field} must be a non-empty string`);
      continue;
    }
    if (value.length > MAX_CREDENTIAL_LENGTH) {
      problems.push(`credentials.${field} is longer than ${MAX_CREDENTIAL_LENGTH} characters`);
      continue;
    }
    const format = FORMATS[provider]?.[field];
    if (format && !format.pattern.test(value)) problems.push(`credentials.${field} must be ${format.hint}`);
  }
  return problems;
}
