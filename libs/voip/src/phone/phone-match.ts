import { E164 } from '@app/domain';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Whether a number stored in a CRM (any human format: "8 (916) 123-45-67", "0044 20 7946 0958") is the caller's
 * E.164 number. The stored value is read as written in the caller's own country (national and international
 * prefixes of that country apply), then compared as E.164 — a digit-suffix hit from Kommo's `?query=` is not enough.
 */
export function storedPhoneIsNumber(stored: string, phone: E164): boolean {
  const country = parsePhoneNumberFromString(phone)?.country;
  const parsed = parsePhoneNumberFromString(stored.trim(), country);
  if (parsed?.isValid()) return parsed.number === phone;
  // Not a valid number as written: only an exact digit match (with or without the country code) counts.
  const digits = stored.replace(/\D+/g, '');
  return digits.length >= 7 && (`+${digits}` === phone || (country !== undefined && `+${parsePhoneNumberFromString(phone)?.countryCallingCode ?? ''}${digits}` === phone));
}
