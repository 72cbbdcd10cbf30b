import { randomBytes } from 'node:crypto';

const HEX24 = /^[0-9a-f]{24}$/;

/**
 * A new 24-hex id, shaped as every Verifik document `_id` is: 4 bytes of seconds since the epoch, then 8 random
 * bytes. Not bson's ObjectId, whose 5 per-process bytes and 3-byte counter let anyone holding one id guess the ids
 * made around it (#14: a tenant found another tenant's project from its own project's id); 64 random bits cannot be
 * guessed, and the time prefix keeps ids roughly in creation order, as Verifik's are.
 */
export function newObjectId(): string {
  const id = randomBytes(12);
  id.writeUInt32BE(Math.floor(Date.now() / 1000) >>> 0, 0);
  return id.toString('hex');
}

/** Only the 24-hex form: bson's own isValid also accepts any 12-character string. */
export const isObjectId = (value: unknown): value is string => typeof value === 'string' && HEX24.test(value);
