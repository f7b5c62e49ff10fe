import { createHmac } from 'node:crypto';
import { safeEqual } from './secrets.js';

/**
 * Short tokens that name something and prove dcrm issued them, for links and addresses that leave
 * dcrm (e.g. a ticket's reply-to address): `<payload>.<mac>`, both base64url, the MAC an HMAC-SHA256
 * over the purpose and the payload with a key only dcrm holds. The purpose binds a token to one use, so
 * a token made for one thing never verifies as another. Tokens are not secret-bearing: never put
 * anything in them the recipient should not read.
 */
const mac = (secret: string, purpose: string, payload: string) =>
  createHmac('sha256', secret).update(`${purpose}\n${payload}`).digest().subarray(0, 18).toString('base64url');

/** A token carrying `data` (a small JSON object) for `purpose`. */
export function signToken(secret: string, purpose: string, data: Record<string, string>): string {
  const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
  return `${payload}.${mac(secret, purpose, payload)}`;
}

/** The data of a token made by `signToken` for `purpose` with this secret; null for anything else. */
export function verifyToken(secret: string, purpose: string, token: string): Record<string, string> | null {
  const [payload, signature, extra] = token.trim().split('.');
  if (!payload || !signature || extra !== undefined || token.length > 1_000) return null;
  if (!safeEqual(signature, mac(secret, purpose, payload))) return null;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
    return Object.values(data).every((v) => typeof v === 'string') ? (data as Record<string, string>) : null;
  } catch {
    return null;
  }
}
