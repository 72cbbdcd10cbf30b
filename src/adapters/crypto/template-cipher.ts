import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Face templates and thumbnails are encrypted at rest with AES-256-GCM. Each row stores the id of the key that
// sealed it, so keys can rotate: new rows use the current key, old rows stay readable while their key is kept.
// The additional authenticated data binds a ciphertext to its owner, so a row copied onto another person (or
// tenant) fails to decrypt instead of silently matching.

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TemplateCipher {
  readonly currentKeyId: string;
  seal(plaintext: Uint8Array, aad: string): { keyId: string; sealed: Buffer };
  open(keyId: string, sealed: Uint8Array, aad: string): Buffer;
}

export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** `keys` are 64-hex AES-256 keys, the first one current; older ones only decrypt. */
export function createTemplateCipher(keys: readonly string[]): TemplateCipher {
  if (keys.length === 0) throw new Error('at least one template key is required');
  const ring = new Map<string, Buffer>();
  for (const hex of keys) {
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('a template key must be 64 hex characters');
    const key = Buffer.from(hex, 'hex');
    ring.set(keyIdOf(key), key);
  }
  const currentKeyId = keyIdOf(Buffer.from(keys[0] as string, 'hex'));
  const current = ring.get(currentKeyId) as Buffer;
  return {
    currentKeyId,
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', current, iv);
      c.setAAD(Buffer.from(aad));
      const body = Buffer.concat([c.update(plaintext), c.final()]);
      return { keyId: currentKeyId, sealed: Buffer.concat([iv, c.getAuthTag(), body]) };
    },
    open(keyId, sealed, aad) {
      const key = ring.get(keyId);
      if (!key) throw new Error(`template key ${keyId} is not configured`);
      const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
      d.setAAD(Buffer.from(aad));
      d.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([d.update(buf.subarray(IV_BYTES + TAG_BYTES)), d.final()]);
    },
  };
}
