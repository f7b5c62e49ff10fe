import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How high-entropy secrets (API keys, refresh and cart tokens) are stored: SHA-256, hex. No KDF needed. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A new secret, `<prefix>_<base64url of random bytes>`; the prefix says what it is when it turns up in a log. */
export const randomToken = (prefix: string, bytes = 24): string => `${prefix}_${randomBytes(bytes).toString('base64url')}`;

/** Constant-time comparison of two strings (different lengths are simply unequal). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
