import { E164 } from '@app/domain';
import { isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js';
import { classifyPhoneParty } from './phone-party';

export type DialableNumber = { readonly ok: true; readonly e164: E164 } | { readonly ok: false; readonly reason: string };

const LENGTH_REASONS: Readonly<Record<string, string>> = {
  TOO_SHORT: 'it is too short',
  TOO_LONG: 'it is too long',
  INVALID_LENGTH: 'it has the wrong number of digits',
  INVALID_COUNTRY: 'its country code is unknown',
  NOT_A_NUMBER: 'it has no digits',
};

/**
 * A number a manager clicked in Kommo (any human format) as the E.164 number we dial, or why it cannot be
 * dialled (said to the manager). Numbers without a country code are read with the deployment's country.
 */
export function dialableNumber(raw: string, defaultCountry: string): DialableNumber {
  const value = raw.trim();
  if (!value) return { ok: false, reason: 'The phone number is empty' };
  const party = classifyPhoneParty(value, defaultCountry);
  if (party.kind === 'pstn') return { ok: true, e164: party.e164 };
  if (party.kind === 'internal') return { ok: false, reason: `"${value}" looks like an internal extension or identity, not a customer's phone number` };
  const country = defaultCountry.toUpperCase();
  const known = isSupportedCountry(country) ? country : undefined;
  const lengthProblem = /\d/.test(value) ? validatePhoneNumberLength(value, known) : 'NOT_A_NUMBER';
  if (lengthProblem) return { ok: false, reason: `"${value}" is not a valid phone number: ${LENGTH_REASONS[lengthProblem] ?? lengthProblem}` };
  const parsed = parsePhoneNumberFromString(value, known);
  const hint = value.startsWith('+') ? '' : ` (read as a ${country} number; add the country code, e.g. +44…)`;
  return { ok: false, reason: `"${value}" is not a valid phone number${parsed ? ` for ${parsed.country ?? country}` : ''}${hint}` };
}
