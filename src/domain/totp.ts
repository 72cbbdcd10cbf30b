import { createHmac, timingSafeEqual } from 'node:crypto';

// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as authenticator apps compute them: HMAC-SHA-1,
// 30-second steps, 6 digits. Pure arithmetic over a secret and a time; the secret's randomness comes from the caller.

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** RFC 4226 §5.3: the dynamically truncated HMAC of the big-endian 8-byte counter, as `digits` decimal digits. */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: TotpAlgorithm = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(msg).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The time step of a moment (RFC 6238 §4: T0 = 0). */
export const totpStep = (unixMs: number): number => Math.floor(unixMs / 1000 / TOTP_STEP_SECONDS);

/**
 * The step within ±`window` of now whose code equals `code` and that is later than `after` (a step already used
 * cannot be used again), or null. Every candidate is computed and compared in constant time, so the answer's timing
 * says nothing about which digits or which step matched.
 */
export function matchTotp(
  secret: Buffer,
  code: string,
  unixMs: number,
  opts: { window?: number; after?: number | null } = {},
): number | null {
  const window = opts.window ?? 1;
  const now = totpStep(unixMs);
  const given = Buffer.from(code.padEnd(TOTP_DIGITS, ' ').slice(0, TOTP_DIGITS));
  const wellFormed = code.length === TOTP_DIGITS && /^\d+$/.test(code);
  let found: number | null = null;
  for (let step = now - window; step <= now + window; step++) {
    const equal = timingSafeEqual(Buffer.from(hotp(secret, step)), given);
    if (equal && wellFormed && found === null && (opts.after == null || step > opts.after)) found = step;
  }
  return found;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: how an `otpauth://` URI carries the secret. */
export function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The Key Uri Format authenticator apps scan: `otpauth://totp/<issuer>:<account>?secret=…&issuer=…`. */
export function otpauthUri(secret: Buffer, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const q = new URLSearchParams({
    secret: base32(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${q.toString()}`;
}
