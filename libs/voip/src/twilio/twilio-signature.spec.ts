import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { isValidTwilioSignature, twilioRecordingDedupeKey, twilioStatusDedupeKey } from './twilio-signature';

const TOKEN = '0123456789abcdef0123456789abcdef';
const URL = 'https://voip.example.com/voip/twilio/key123/status';
const PARAMS = { CallSid: `CA${'a'.repeat(32)}`, CallStatus: 'completed', SequenceNumber: '2', From: '+14155550100' };

describe('Twilio signature (checked with the official library)', () => {
  it('accepts the signature Twilio computes for the configured URL and parameters', () => {
    const signature = getExpectedTwilioSignature(TOKEN, URL, PARAMS);
    expect(isValidTwilioSignature({ authToken: TOKEN, signature, publicUrl: URL, params: PARAMS })).toBe(true);
  });

  it.each([
    ['another URL', { publicUrl: 'https://voip.example.com/voip/twilio/key124/status' }],
    ['another token', { authToken: 'f'.repeat(32) }],
    ['a changed parameter', { params: { ...PARAMS, CallStatus: 'busy' } }],
    ['an added parameter', { params: { ...PARAMS, Extra: 'x' } }],
    ['no signature', { signature: undefined }],
    ['an empty token', { authToken: '' }],
  ])('refuses %s', (_name, overrides) => {
    const signature = getExpectedTwilioSignature(TOKEN, URL, PARAMS);
    expect(isValidTwilioSignature({ authToken: TOKEN, signature, publicUrl: URL, params: PARAMS, ...overrides })).toBe(false);
  });
});

describe('Twilio delivery keys', () => {
  it('identifies a status callback by CallSid, CallStatus and SequenceNumber', () => {
    expect(twilioStatusDedupeKey(PARAMS)).toBe(`CA${'a'.repeat(32)}:completed:2`);
    expect(twilioStatusDedupeKey({ ...PARAMS, SequenceNumber: undefined })).toBe(`CA${'a'.repeat(32)}:completed:`);
  });

  it.each([{ CallStatus: 'completed' }, { CallSid: 'CA123', CallStatus: 'completed' }, { CallSid: `CA${'a'.repeat(32)}` }])('has no key for %p', (params) => {
    expect(twilioStatusDedupeKey(params)).toBeNull();
  });

  it('identifies a recording callback by RecordingSid and status', () => {
    expect(twilioRecordingDedupeKey({ RecordingSid: `RE${'b'.repeat(32)}`, RecordingStatus: 'completed' })).toBe(`RE${'b'.repeat(32)}:completed`);
    expect(twilioRecordingDedupeKey({ RecordingSid: 'RE1', RecordingStatus: 'completed' })).toBeNull();
  });
});
