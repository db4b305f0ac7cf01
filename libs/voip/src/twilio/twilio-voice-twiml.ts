import { twiml } from 'twilio';

/** Up to 10 nouns ring at once in one `<Dial>` (voip.md §1.6). */
const MAX_DIAL_TARGETS = 10;

export interface DefaultRouteInput {
  /** Identities mapped to managers: E.164 numbers, `sip:` URIs or Voice SDK client identities. */
  readonly targets: readonly string[];
  readonly statusCallbackUrl: string;
  readonly recordingStatusCallbackUrl: string;
  /** Where Twilio asks what to do when the dialled legs ended (voicemail when nobody answered). */
  readonly dialEndedUrl: string;
  readonly record: boolean;
  readonly ringSeconds: number;
}

/**
 * Rings the route's targets at once (first to answer wins; smart forwarding gives the responsible manager's
 * identities, else the ring group's) for `ringSeconds`, with child-leg status and recording callbacks to us and
 * `action` = dial-ended (voicemail when nobody answered); no target → straight to voicemail.
 * E.164 → `<Number>`, `sip:` → `<Sip>`, anything else (client names, `client:` identities) → `<Client>`.
 */
export function defaultRouteTwiml(input: DefaultRouteInput): string {
  const response = new twiml.VoiceResponse();
  const targets = [...new Set(input.targets)].slice(0, MAX_DIAL_TARGETS);
  if (targets.length === 0) return voicemailTwiml(input.recordingStatusCallbackUrl);
  const dial = response.dial({
    action: input.dialEndedUrl,
    method: 'POST',
    timeout: input.ringSeconds,
    answerOnBridge: true,
    ...(input.record
      ? { record: 'record-from-answer-dual', recordingStatusCallback: input.recordingStatusCallbackUrl, recordingStatusCallbackEvent: ['completed'] }
      : {}),
  });
  const callbacks = {
    statusCallback: input.statusCallbackUrl,
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'] as ('initiated' | 'ringing' | 'answered' | 'completed')[],
    statusCallbackMethod: 'POST' as const,
  };
  for (const target of targets) {
    if (/^\+[1-9]\d{6,14}$/.test(target)) dial.number(callbacks, target);
    else if (/^sips?:/i.test(target)) dial.sip(callbacks, target);
    else dial.client(callbacks, target.replace(/^client:/i, ''));
  }
  return response.toString();
}

/** Nobody answered (or nobody to ring): take a message; the recording reaches us like any other. */
export function voicemailTwiml(recordingStatusCallbackUrl: string): string {
  const response = new twiml.VoiceResponse();
  response.say('Nobody can take your call right now. Please leave a message after the tone.');
  response.record({ maxLength: 120, playBeep: true, recordingStatusCallback: recordingStatusCallbackUrl, recordingStatusCallbackEvent: ['completed'] });
  response.hangup();
  return response.toString();
}

/** After `<Dial>`: a bridged call just ends; otherwise voicemail. */
export function dialEndedTwiml(dialCallStatus: string | undefined, recordingStatusCallbackUrl: string): string {
  if (dialCallStatus === 'completed' || dialCallStatus === 'answered') {
    const response = new twiml.VoiceResponse();
    response.hangup();
    return response.toString();
  }
  return voicemailTwiml(recordingStatusCallbackUrl);
}
