import { randomBytes } from 'node:crypto';
import { EncryptionKey, SecretCipher, SecretDecryptionError } from './secret-cipher';

const key = (id: string): EncryptionKey => ({ id, key: randomBytes(32) });
const CONTEXT = 'kommo_account:42:refresh_token';

describe('SecretCipher', () => {
  const k1 = key('k1');
  const k2 = key('k2');
  let sut: SecretCipher;

  beforeEach(() => {
    sut = new SecretCipher([k1]);
  });

  it('round-trips a secret, including non-ASCII and empty values', () => {
    for (const plaintext of ['def502004b1a…refresh', 'pässwörd ✓ 秘密', '']) {
      expect(sut.decrypt(sut.encrypt(plaintext, CONTEXT), CONTEXT)).toBe(plaintext);
    }
  });

  it('writes the documented format and never the plaintext', () => {
    const stored = sut.encrypt('top-secret-value', CONTEXT);

    expect(stored).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('top-secret-value');
    expect(stored).not.toContain(Buffer.from('top-secret-value').toString('base64url'));
  });

  it('produces a different ciphertext every time (fresh IV)', () => {
    const values = new Set(Array.from({ length: 20 }, () => sut.encrypt('same', CONTEXT)));
    const ivs = new Set([...values].map((value) => value.split('.')[2]));

    expect(values.size).toBe(20);
    expect(ivs.size).toBe(20);
  });

  it('binds the ciphertext to its context: another row or column cannot decrypt it', () => {
    const stored = sut.encrypt('secret', 'kommo_account:42:refresh_token');

    expect(() => sut.decrypt(stored, 'kommo_account:43:refresh_token')).toThrow(SecretDecryptionError);
    expect(() => sut.decrypt(stored, 'kommo_account:42:access_token')).toThrow(SecretDecryptionError);
  });

  it.each([
    ['ciphertext', 4],
    ['tag', 3],
    ['iv', 2],
  ])('fails when the %s is tampered with', (_part, index) => {
    const parts = sut.encrypt('secret value', CONTEXT).split('.');
    const bytes = Buffer.from(parts[index], 'base64url');
    bytes[0] = bytes[0] ^ 0x01;
    parts[index] = bytes.toString('base64url');

    expect(() => sut.decrypt(parts.join('.'), CONTEXT)).toThrow(SecretDecryptionError);
  });

  it('refuses a truncated authentication tag, which GCM would otherwise accept', () => {
    const parts = sut.encrypt('secret value', CONTEXT).split('.');
    parts[3] = Buffer.from(parts[3], 'base64url').subarray(0, 4).toString('base64url');

    expect(() => sut.decrypt(parts.join('.'), CONTEXT)).toThrow('unknown format');
  });

  it('refuses a value with extra parts appended', () => {
    const stored = `${sut.encrypt('secret value', CONTEXT)}.extra`;

    expect(() => sut.decrypt(stored, CONTEXT)).toThrow('unknown format');
  });

  it('fails when the key id is swapped for another configured key', () => {
    const both = new SecretCipher([k1, k2]);
    const stored = both.encrypt('secret', CONTEXT).replace(/^v1\.k1\./, 'v1.k2.');

    expect(() => both.decrypt(stored, CONTEXT)).toThrow(SecretDecryptionError);
  });

  it('fails on a key id that is not configured', () => {
    const stored = new SecretCipher([k2]).encrypt('secret', CONTEXT);

    expect(() => sut.decrypt(stored, CONTEXT)).toThrow('key "k2" is not configured');
  });

  it('fails with the same key id but different key material', () => {
    const stored = new SecretCipher([key('k1')]).encrypt('secret', CONTEXT);

    expect(() => sut.decrypt(stored, CONTEXT)).toThrow(SecretDecryptionError);
  });

  it.each(['', 'plaintext', 'v2.k1.a.b.c', 'v1.k1.a.b', 'v1..a.b.c', 'v1.k1..b.c'])('refuses the unknown format %p', (stored) => {
    expect(() => sut.decrypt(stored, CONTEXT)).toThrow('unknown format');
  });

  describe('key rotation', () => {
    it('still decrypts a value written with an old key that is still configured, and reports it stale', () => {
      const written = sut.encrypt('old secret', CONTEXT);
      const rotated = new SecretCipher([k2, k1]);

      expect(rotated.decrypt(written, CONTEXT)).toBe('old secret');
      expect(rotated.isStale(written)).toBe(true);
    });

    it('encrypts with the first key, whose values are not stale', () => {
      const rotated = new SecretCipher([k2, k1]);
      const rewritten = rotated.encrypt('old secret', CONTEXT);

      expect(rewritten.split('.')[1]).toBe('k2');
      expect(rotated.isStale(rewritten)).toBe(false);
      expect(() => sut.decrypt(rewritten, CONTEXT)).toThrow('key "k2" is not configured');
    });

    it('cannot decrypt once the old key is dropped', () => {
      const written = sut.encrypt('old secret', CONTEXT);

      expect(() => new SecretCipher([k2]).decrypt(written, CONTEXT)).toThrow(SecretDecryptionError);
    });
  });

  describe('constructor', () => {
    it('needs at least one key', () => {
      expect(() => new SecretCipher([])).toThrow('at least one key');
    });

    it('refuses a key that is not 32 bytes', () => {
      expect(() => new SecretCipher([{ id: 'k1', key: randomBytes(16) }])).toThrow('must be 32 bytes');
    });

    it('refuses a key id that cannot be stored in the format', () => {
      expect(() => new SecretCipher([{ id: 'k.1', key: randomBytes(32) }])).toThrow('must match');
    });
  });

  describe('parseKeys', () => {
    const b64 = (bytes: number) => randomBytes(bytes).toString('base64');

    it('parses comma-separated id:base64 entries, current key first, ignoring blanks and spaces', () => {
      const first = b64(32);
      const second = b64(32);

      const { keys, problems } = SecretCipher.parseKeys(` k2:${first} , ,k1:${second},`);

      expect(problems).toEqual([]);
      expect(keys.map((parsed) => parsed.id)).toEqual(['k2', 'k1']);
      expect(keys[0].key.equals(Buffer.from(first, 'base64'))).toBe(true);
      expect(keys[1].key).toHaveLength(32);
    });

    it('reports every bad entry', () => {
      const good = b64(32);

      const { keys, problems } = SecretCipher.parseKeys(`${good},k2:${b64(16)},k1:${good},k1:${b64(32)},:${good}`);

      expect(keys.map((parsed) => parsed.id)).toEqual(['k1']);
      expect(problems).toEqual([
        'key #1 needs an id like "k1:" before the key',
        'key "k2" must be 32 bytes, base64-encoded',
        'key id "k1" is used twice',
        'key #5 needs an id like "k1:" before the key',
      ]);
    });

    it('reports an empty specification', () => {
      expect(SecretCipher.parseKeys(' , ')).toEqual({ keys: [], problems: ['no key given'] });
    });

    it('yields keys the cipher accepts', () => {
      const { keys } = SecretCipher.parseKeys(`k1:${b64(32)}`);
      const cipher = new SecretCipher(keys);

      expect(cipher.decrypt(cipher.encrypt('x', CONTEXT), CONTEXT)).toBe('x');
    });
  });
});
