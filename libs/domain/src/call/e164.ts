import { InvalidE164Error } from './call.errors';

declare const E164_BRAND: unique symbol;

/**
 * A phone number in E.164 (`+5511987654321`). The edges (provider adapters, widget API) normalise human
 * formats with libphonenumber-js; the domain only checks the shape and never parses.
 */
export type E164 = string & { readonly [E164_BRAND]: true };

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): value is E164 {
  return E164_SHAPE.test(value);
}

/** Brands an already normalised number; throws `InvalidE164Error` for anything else. */
export function e164(value: string): E164 {
  if (!isE164(value)) throw new InvalidE164Error(value);
  return value;
}

/** `null` stays `null` (anonymous / withheld caller). */
export function e164OrNull(value: string | null | undefined): E164 | null {
  return value === null || value === undefined ? null : e164(value);
}
