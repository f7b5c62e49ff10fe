import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loggerFor } from './logger.js';

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

/** The secrets every start needs; the all-in-one generates them, every other start is given them. */
export const SECRET_VARIABLES = ['DCRM_JWT_SECRET', 'DCRM_INTERNAL_SECRET'] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

/** A required secret is missing or too short: entry points print the message alone and exit. */
export class SecretError extends Error {}

/** The secret in `name`; no default in the source, so a start without it refuses with a message naming it. */
export function requiredSecret(name: SecretVariable, env: NodeJS.ProcessEnv = process.env): string {
  const secret = env[name];
  if (!secret) {
    throw new SecretError(
      `${name} is not set. Generate one (openssl rand -hex 32) and give the router and every subgraph the same value; only the all-in-one (pnpm start) makes its own.`,
    );
  }
  if (secret.length < 32) throw new SecretError(`${name} must be at least 32 characters`);
  return secret;
}

/**
 * All-in-one only: the secrets from the environment, else from `<dir>/secrets.json`, generated there
 * (mode 0600) on the first start and reused on later ones. Fills the missing variables in `env`, so
 * every part of the process reads them as it would in production.
 */
export function ensureLocalSecrets(dir = '.data', env: NodeJS.ProcessEnv = process.env): { file: string | null; created: boolean } {
  if (SECRET_VARIABLES.every((name) => env[name])) return { file: null, created: false };
  const file = join(resolve(dir), 'secrets.json');
  let stored: Partial<Record<SecretVariable, string>> = {};
  let created = false;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8'));
    chmodSync(file, 0o600);
  }
  const missing = SECRET_VARIABLES.filter((name) => typeof stored[name] !== 'string' || (stored[name] as string).length < 32);
  if (missing.length > 0) {
    for (const name of missing) stored[name] = randomBytes(32).toString('hex');
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    created = true;
  }
  for (const name of SECRET_VARIABLES) if (!env[name]) env[name] = stored[name];
  return { file, created };
}

/** For entry points: a SecretError ends the process with its message (exit code 1), anything else is rethrown. */
export function exitOnSecretError(error: unknown): never {
  if (error instanceof SecretError) {
    loggerFor('startup').fatal(error.message);
    process.exit(1);
  }
  throw error;
}
