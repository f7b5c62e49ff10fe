import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt (memory-hard). Parameters travel with each hash, so raising the cost later needs no migration. */
const COST = Number(process.env.DCRM_SCRYPT_N ?? 2 ** 15);
const BLOCK = 8;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, N: number, r: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p: 1, maxmem: 256 * N * r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST, BLOCK);
  return `scrypt$${COST}$${BLOCK}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of nothing: compared against when an identity is unknown, so timing does not reveal which exist. */
let decoy: Promise<string> | null = null;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

const COMMON = new Set(['password123', 'qwertyuiop', '1234567890', 'letmein123', 'welcome123', 'iloveyou12', 'passw0rd12']);

/** At least 10 characters, letters and digits, not a well-known password. Returns the problem or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'Use at least 10 characters';
  if (password.length > 200) return 'Use at most 200 characters';
  if (!/\p{L}/u.test(password) || !/\p{N}/u.test(password)) return 'Use letters and digits';
  if (COMMON.has(password.toLowerCase())) return 'This password is too common';
  return null;
}
