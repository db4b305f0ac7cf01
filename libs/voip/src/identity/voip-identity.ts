import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/** What a manager's VoIP identity is; decides how the Voice URL dials it. */
export type VoipIdentityKind = 'phone' | 'sip' | 'client' | 'extension';

export interface VoipIdentity {
  readonly kind: VoipIdentityKind;
  /** The one spelling we store: E.164, `sip:user@host` (scheme and host lower-cased), a bare client name, digits. */
  readonly value: string;
}

export type VoipIdentityResult = { readonly ok: true; readonly identity: VoipIdentity } | { readonly ok: false; readonly problem: string };

/** Twilio Voice SDK client identities: letters, digits and underscores only (voip.md §1.8). */
const CLIENT_NAME = /^[A-Za-z0-9_]{1,121}$/;
const PBX_EXTENSION = /^\d{2,8}$/;
const SIP_URI = /^(sips?):([^@\s;:]+)@([A-Za-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * Validates and normalises an identity an administrator typed for a manager (widget extension map, Kommo's
 * `users` settings field), once, at the edge: `client:alice` and `alice` are the same Twilio client; phone numbers
 * in any human format become E.164 with the account's default country; SIP URIs keep user@host; 2–8 digits are
 * a PBX extension.
 */
export function normalizeVoipIdentity(raw: string, defaultCountry: string): VoipIdentityResult {
  const value = raw.trim();
  if (!value) return { ok: false, problem: 'is empty' };
  if (/^client:/i.test(value)) {
    const name = value.slice('client:'.length).trim();
    return CLIENT_NAME.test(name)
      ? { ok: true, identity: { kind: 'client', value: name } }
      : { ok: false, problem: 'is not a valid Twilio client identity (letters, digits and underscores, at most 121)' };
  }
  if (/^sips?:/i.test(value)) {
    const sip = SIP_URI.exec(value);
    if (!sip) return { ok: false, problem: 'is not a valid SIP URI (sip:user@host)' };
    return { ok: true, identity: { kind: 'sip', value: `${sip[1].toLowerCase()}:${sip[2]}@${sip[3].toLowerCase()}${sip[4] ?? ''}` } };
  }
  if (PBX_EXTENSION.test(value)) return { ok: true, identity: { kind: 'extension', value } };
  if (/^[+\d\s().-]+$/.test(value) && /\d/.test(value)) {
    const country = defaultCountry.toUpperCase();
    const parsed = parsePhoneNumberFromString(value, isSupportedCountry(country) ? country : undefined);
    return parsed?.isValid()
      ? { ok: true, identity: { kind: 'phone', value: parsed.number } }
      : { ok: false, problem: 'is not a valid phone number, nor a 2–8 digit extension' };
  }
  if (CLIENT_NAME.test(value)) return { ok: true, identity: { kind: 'client', value } };
  return { ok: false, problem: 'is not a phone number, sip:user@host, client identity (letters, digits, _) or 2–8 digit extension' };
}

/** The kind of an identity that is already stored (normalised or legacy spelling). */
export function voipIdentityKindOf(value: string): VoipIdentityKind {
  if (/^\+[1-9]\d{6,14}$/.test(value)) return 'phone';
  if (/^sips?:/i.test(value)) return 'sip';
  if (PBX_EXTENSION.test(value)) return 'extension';
  return 'client';
}

/**
 * The spellings a provider may report for a stored identity in call events (lower-cased, as extension keys are
 * compared): a `<Dial><Sip>` leg names only the SIP user, a Twilio client leg only the bare name.
 */
export function voipIdentityAliases(stored: string, defaultCountry: string): string[] {
  const normalized = normalizeVoipIdentity(stored, defaultCountry);
  const value = normalized.ok ? normalized.identity.value : stored.trim();
  const aliases = new Set([value.toLowerCase(), stored.trim().toLowerCase()]);
  const sip = SIP_URI.exec(value);
  if (sip) aliases.add(decodeURIComponent(sip[2]).toLowerCase());
  return [...aliases].filter(Boolean);
}
