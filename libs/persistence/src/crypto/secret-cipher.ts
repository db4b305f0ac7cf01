import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface EncryptionKey {
  /** Short id kept with every ciphertext so keys can rotate: [A-Za-z0-9_-]{1,32}. */
  readonly id: string;
  /** 32 bytes (AES-256). */
  readonly key: Buffer;
}

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a stored secret: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest (Kommo tokens, VoIP credentials).
 * Format: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), a fresh 96-bit IV per encryption.
 * The AAD binds each ciphertext to its place (`context`, e.g. `kommo_account:42:refresh_token`) and key id,
 * so a value copied to another row or column fails to decrypt. The first key encrypts; all keys decrypt.
 */
export class SecretCipher {
  private readonly current: EncryptionKey;
  private readonly byId: ReadonlyMap<string, EncryptionKey>;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('SecretCipher needs at least one key');
    for (const key of keys) {
      if (!KEY_ID.test(key.id)) throw new Error(`Encryption key id "${key.id}" must match ${KEY_ID}`);
      if (key.key.length !== 32) throw new Error(`Encryption key "${key.id}" must be 32 bytes`);
    }
    this.current = keys[0]!;
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  /**
   * Parses `SECRETS_ENCRYPTION_KEYS`: comma-separated `<id>:<base64 of 32 bytes>`, current key first.
   * Returns problems instead of throwing so config validation can name them all.
   */
  static parseKeys(spec: string): { keys: EncryptionKey[]; problems: string[] } {
    const keys: EncryptionKey[] = [];
    const problems: string[] = [];
    for (const [index, entry] of spec.split(',').map((part) => part.trim()).filter(Boolean).entries()) {
      const separator = entry.indexOf(':');
      const id = separator > 0 ? entry.slice(0, separator) : '';
      const key = Buffer.from(separator > 0 ? entry.slice(separator + 1) : '', 'base64');
      if (!KEY_ID.test(id)) problems.push(`key #${index + 1} needs an id like "k1:" before the key`);
      else if (key.length !== 32) problems.push(`key "${id}" must be 32 bytes, base64-encoded`);
      else if (keys.some((known) => known.id === id)) problems.push(`key id "${id}" is used twice`);
      else keys.push({ id, key });
    }
    if (keys.length === 0 && problems.length === 0) problems.push('no key given');
    return { keys, problems };
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(context, this.current.id));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  decrypt(stored: string, context: string): string {
    const parts = stored.split('.');
    const [version, keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 5 || version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
      throw new SecretDecryptionError('unknown format');
    }
    const tagBytes = Buffer.from(tag, 'base64url');
    const ivBytes = Buffer.from(iv, 'base64url');
    // GCM accepts truncated tags unless told otherwise: a 4-byte tag would make forgery cheap.
    if (tagBytes.length !== TAG_BYTES || ivBytes.length !== IV_BYTES) throw new SecretDecryptionError('unknown format');
    const key = this.byId.get(keyId);
    if (!key) throw new SecretDecryptionError(`key "${keyId}" is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(context, keyId));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('authentication failed (wrong key or tampered value)');
    }
  }

  /** True when `stored` was written with a key other than the current one (re-encrypt on next write). */
  isStale(stored: string): boolean {
    return stored.split('.')[1] !== this.current.id;
  }
}

function aad(context: string, keyId: string): Buffer {
  return Buffer.from(`${context}|${keyId}`, 'utf8');
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}
