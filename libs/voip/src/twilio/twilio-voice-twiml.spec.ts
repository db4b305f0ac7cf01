import { defaultRouteTwiml, dialEndedTwiml, voicemailTwiml } from './twilio-voice-twiml';

const URLS = {
  statusCallbackUrl: 'https://voip.example.com/voip/twilio/k/status',
  recordingStatusCallbackUrl: 'https://voip.example.com/voip/twilio/k/recording',
  dialEndedUrl: 'https://voip.example.com/voip/twilio/k/voice/dial-ended',
};

describe('Twilio voice TwiML', () => {
  it('rings every mapped manager at once, with leg callbacks and recording', () => {
    const xml = defaultRouteTwiml({ ...URLS, targets: ['manager-1002', '+14155550111', 'sip:101@pbx.example.com', 'client:alice'], record: true, ringSeconds: 25 });

    expect(xml).toContain('<Dial action="https://voip.example.com/voip/twilio/k/voice/dial-ended" method="POST" timeout="25" answerOnBridge="true" record="record-from-answer-dual"');
    expect(xml).toContain('recordingStatusCallback="https://voip.example.com/voip/twilio/k/recording"');
    expect(xml).toContain('>manager-1002</Client>');
    expect(xml).toContain('>alice</Client>');
    expect(xml).toContain('>+14155550111</Number>');
    expect(xml).toContain('>sip:101@pbx.example.com</Sip>');
    expect(xml.match(/statusCallback="https:\/\/voip\.example\.com\/voip\/twilio\/k\/status"/g)).toHaveLength(4);
    expect(xml).toContain('statusCallbackEvent="initiated ringing answered completed"');
  });

  it('does not record when recordings are off, and rings at most 10 targets', () => {
    const xml = defaultRouteTwiml({ ...URLS, targets: Array.from({ length: 12 }, (_, index) => `m${index}`), record: false, ringSeconds: 20 });
    expect(xml).not.toContain('record=');
    expect(xml.match(/<Client /g)).toHaveLength(10);
  });

  it('rings only the route\'s targets for the configured time, each identity once', () => {
    const xml = defaultRouteTwiml({ ...URLS, targets: ['manager_1002', 'manager_1002'], record: true, ringSeconds: 40 });
    expect(xml).toContain('timeout="40"');
    expect(xml.match(/<Client /g)).toHaveLength(1);
    expect(xml).toContain('>manager_1002</Client>');
  });

  it('goes to voicemail when nobody is mapped or nobody answered', () => {
    expect(defaultRouteTwiml({ ...URLS, targets: [], record: true, ringSeconds: 20 })).toBe(voicemailTwiml(URLS.recordingStatusCallbackUrl));
    expect(voicemailTwiml(URLS.recordingStatusCallbackUrl)).toMatch(/<Say>.+<\/Say><Record maxLength="120" playBeep="true" recordingStatusCallback="[^"]+" recordingStatusCallbackEvent="completed"\/><Hangup\/>/);
    expect(dialEndedTwiml('no-answer', URLS.recordingStatusCallbackUrl)).toContain('<Record');
    expect(dialEndedTwiml('busy', URLS.recordingStatusCallbackUrl)).toContain('<Record');
    expect(dialEndedTwiml('completed', URLS.recordingStatusCallbackUrl)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
  });
});
