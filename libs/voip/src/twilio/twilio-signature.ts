import { validateRequest } from 'twilio';

/**
 * `X-Twilio-Signature` check with Twilio's own library (HMAC-SHA1 over the exact public URL plus the
 * sorted form parameters, keyed by the account's Auth Token; voip.md §1.4). `publicUrl` must be the
 * URL as configured in Twilio, query string included — never the URL our proxy rewrote.
 */
export function isValidTwilioSignature(input: {
  authToken: string;
  signature: string | undefined;
  publicUrl: string;
  params: Readonly<Record<string, string | string[]>>;
}): boolean {
  if (!input.signature || !input.authToken) return false;
  return validateRequest(input.authToken, input.signature, input.publicUrl, { ...input.params });
}

/** Delivery identity of a call status callback: Twilio retries resend the same three values. */
export function twilioStatusDedupeKey(params: Readonly<Record<string, unknown>>): string | null {
  const callSid = stringParam(params.CallSid);
  const status = stringParam(params.CallStatus);
  if (!callSid || !/^CA[0-9a-fA-F]{32}$/.test(callSid) || !status) return null;
  return `${callSid}:${status}:${stringParam(params.SequenceNumber) ?? ''}`;
}

/** Delivery identity of a recording status callback. */
export function twilioRecordingDedupeKey(params: Readonly<Record<string, unknown>>): string | null {
  const recordingSid = stringParam(params.RecordingSid);
  const status = stringParam(params.RecordingStatus);
  if (!recordingSid || !/^RE[0-9a-fA-F]{32}$/.test(recordingSid) || !status) return null;
  return `${recordingSid}:${status}`;
}

function stringParam(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
