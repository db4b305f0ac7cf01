/**
 * Secret redaction for everything we log: tokens, auth headers, provider credentials and signatures,
 * OAuth `code` parameters, passwords in connection URLs. Applied by the logger to every line, so a
 * careless `logger.log(error.message)` cannot leak a token either.
 */
export const REDACTED = '[REDACTED]';

/** Object keys whose values are always secret (compared lower-case, `-`/`_` ignored). */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'x-auth-token',
    'x-twilio-signature',
    'x-signature',
    'signature',
    'sig',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'accesstoken',
    'refreshtoken',
    'client_secret',
    'clientsecret',
    'secret',
    'signing_secret',
    'signingsecret',
    'password',
    'passwd',
    'auth_token',
    'authtoken',
    'api_key',
    'apikey',
    'credentials',
    'cookie',
    'set-cookie',
    'encryption_keys',
    'secrets_encryption_keys',
  ].map(normaliseKey),
);

/** Query/form parameters whose values are secret. */
const SECRET_PARAMS = ['code', 'access_token', 'refresh_token', 'token', 'client_secret', 'sig', 'signature', 'password', 'auth_token', 'api_key'];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Error codes (`KOMMO.ACCOUNT_BLOCKED`, `ECONNREFUSED`) and HTTP statuses stay readable; an OAuth code does not. */
function isHarmlessCode(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && /^[A-Z][A-Z0-9_.]*$/.test(value));
}

const STRING_RULES: readonly [RegExp, string][] = [
  // Authorization: Bearer/Basic <credential>
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  // JWTs anywhere (three base64url parts starting with a JSON header)
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // user:password@ in URLs (postgres://, redis://, https://)
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  // ?code=…&sig=… and form bodies
  [new RegExp(`([?&;\\s]|^)(${SECRET_PARAMS.join('|')})=[^&\\s"']+`, 'gi'), `$1$2=${REDACTED}`],
  // "access_token":"…" inside JSON text
  [/"((?:access|refresh|id)_token|client_secret|password|auth_token|signature|authorization|x-auth-token)"\s*:\s*"[^"]*"/gi, `"$1":"${REDACTED}"`],
  // header-style lines: X-Twilio-Signature: …, X-Auth-Token: …
  [/\b(x-twilio-signature|x-auth-token|x-signature|authorization)\s*[:=]\s*(?!Bearer|Basic)[^\s,;]+/gi, `$1: ${REDACTED}`],
];

/** Redacts secrets inside free text (messages, error strings, URLs). */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of STRING_RULES) out = out.replace(pattern, replacement);
  return out;
}

/** Deep copy with secret values replaced; strings are redacted too. Cycles and depth are bounded. */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const normalised = normaliseKey(key);
    if (SECRET_KEYS.has(normalised) || (normalised === 'code' && !isHarmlessCode(item))) {
      out[key] = item === undefined || item === null || item === '' ? item : REDACTED;
    } else {
      out[key] = redact(item, depth + 1, seen);
    }
  }
  return out;
}
