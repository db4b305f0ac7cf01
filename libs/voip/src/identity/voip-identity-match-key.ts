import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * How an identity is compared with the extension map, whatever spelling the provider reports:
 * - `exact`: the canonical spelling. `sip:user@host` (scheme `sip`/`sips` → `sip`, host lower-cased, port and URI
 *   parameters / headers / display name dropped), `client:Name` (name case-sensitive, as Twilio's identities are),
 *   E.164 for phones, digits for a PBX extension, else the trimmed, lower-cased text (legacy entries).
 * - `user`: the key a SIP URI and a bare extension share (the SIP user part, case-sensitive as RFC 3261 says;
 *   the digits of an extension). Null for clients, phones and anything else: they only match exactly.
 */
export interface VoipIdentityMatchKey {
  readonly exact: string;
  readonly user: string | null;
}

const PBX_EXTENSION = /^\d{2,8}$/;
const CLIENT = /^client:(.*)$/i;
/** `[sip[s]:]user@host[:port][;params][?headers]`; the scheme is optional for legacy `user@host` entries. */
const SIP = /^(?:sips?:)?([^@\s;:<>]+)@([A-Za-z0-9.-]+)(?::\d{1,5})?(?:[;?].*)?$/i;
const SIP_SCHEME_ONLY = /^sips?:([^@\s;:<>]+)(?:[;?].*)?$/i;
const BARE_CLIENT = /^[A-Za-z_][A-Za-z0-9_]{0,120}$/;

/** The match key of a stored or reported identity (pure, no country: stored phones are already E.164). */
export function voipIdentityMatchKey(raw: string): VoipIdentityMatchKey | null {
  let value = raw.trim();
  const angle = /<([^>]*)>/.exec(value); // `"Alice" <sip:1001@pbx>;tag=x` → the URI
  if (angle) value = angle[1].trim();
  if (!value) return null;

  const client = CLIENT.exec(value);
  if (client) {
    const name = client[1].trim();
    return name ? { exact: `client:${name}`, user: null } : null;
  }
  const sip = SIP.exec(value);
  if (sip) {
    const user = safeDecode(sip[1]);
    return { exact: `sip:${user}@${sip[2].toLowerCase()}`, user };
  }
  const hostless = SIP_SCHEME_ONLY.exec(value); // `sip:1001` (no host) is the extension
  if (hostless) return extensionOrOther(safeDecode(hostless[1]));
  return extensionOrOther(value);
}

function extensionOrOther(value: string): VoipIdentityMatchKey {
  if (PBX_EXTENSION.test(value)) return { exact: value, user: value };
  if (/^\+[\d\s().-]+$/.test(value)) {
    const phone = parsePhoneNumberFromString(value);
    if (phone?.isValid()) return { exact: phone.number, user: null };
  }
  if (BARE_CLIENT.test(value)) return { exact: `client:${value}`, user: null }; // `alice` is the client `alice`
  return { exact: value.toLowerCase(), user: null };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
