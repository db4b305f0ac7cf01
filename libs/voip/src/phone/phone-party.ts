import { E164, e164 } from '@app/domain';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/** One side of a call as the provider wrote it: a PSTN number we can match in Kommo, or an internal party. */
export type PhoneParty =
  | { readonly kind: 'pstn'; readonly e164: E164 }
  /** An extension, Twilio `client:` identity or SIP user: the agent, never a Kommo contact's phone. */
  | { readonly kind: 'internal'; readonly identity: string }
  /** Anonymous, withheld, or nothing we can use. */
  | { readonly kind: 'unknown' };

const ANONYMOUS = new Set(['', 'anonymous', 'restricted', 'unknown', 'unavailable', 'private', 'withheld']);

/**
 * The one place raw provider numbers become E.164 (voip.md §6): classify first (client:/SIP users/short
 * digit strings are internal parties), then parse with the account's default country, accepting only
 * valid numbers.
 */
export function classifyPhoneParty(raw: string | null | undefined, defaultCountry: string): PhoneParty {
  const value = (raw ?? '').trim();
  if (ANONYMOUS.has(value.toLowerCase()) || /^\+?(266696687|7378742833|86282452253)$/.test(value)) return { kind: 'unknown' };
  if (value.toLowerCase().startsWith('client:')) {
    const identity = value.slice('client:'.length).trim();
    return identity ? { kind: 'internal', identity } : { kind: 'unknown' };
  }
  const sip = /^sips?:([^@;]+)(?:@[^;]*)?/i.exec(value);
  const candidate = sip ? decodeURIComponent(sip[1]) : value;
  const digits = candidate.replace(/[^\d]/g, '');
  if (!candidate.startsWith('+') && /^[\d\s#*-]+$/.test(candidate) && digits.length > 0 && digits.length <= 6) {
    return { kind: 'internal', identity: digits };
  }
  const country = defaultCountry.toUpperCase();
  const parsed = parsePhoneNumberFromString(candidate, isSupportedCountry(country) ? country : undefined);
  if (parsed?.isValid()) return { kind: 'pstn', e164: e164(parsed.number) };
  if (sip) return { kind: 'internal', identity: candidate };
  return { kind: 'unknown' };
}

export function e164Of(party: PhoneParty): E164 | null {
  return party.kind === 'pstn' ? party.e164 : null;
}

export function identityOf(party: PhoneParty): string | null {
  return party.kind === 'internal' ? party.identity : null;
}
