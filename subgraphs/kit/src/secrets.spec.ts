import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { internalSecret } from './principal.js';
import { ensureLocalSecrets, requiredSecret, SecretError } from './secrets.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dcrm-secrets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('required secrets', () => {
  it('refuses a missing secret with a message naming the variable, and a short one', () => {
    expect(() => internalSecret({})).toThrow(SecretError);
    expect(() => internalSecret({})).toThrow(/DCRM_INTERNAL_SECRET is not set/);
    expect(() => requiredSecret('DCRM_JWT_SECRET', { NODE_ENV: 'development' })).toThrow(/DCRM_JWT_SECRET is not set/);
    expect(() => requiredSecret('DCRM_JWT_SECRET', { DCRM_JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(internalSecret({ DCRM_INTERNAL_SECRET: 'k'.repeat(32) })).toBe('k'.repeat(32));
  });
});

describe('all-in-one secrets', () => {
  it('are generated on first start into a 0600 file and reused on the next', () => {
    const dir = tempDir();
    const first: NodeJS.ProcessEnv = {};
    const made = ensureLocalSecrets(join(dir, '.data'), first);
    expect(made.created).toBe(true);
    expect(statSync(made.file as string).mode & 0o777).toBe(0o600);
    expect(first.DCRM_JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first.DCRM_INTERNAL_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first.DCRM_JWT_SECRET).not.toBe(first.DCRM_INTERNAL_SECRET);
    expect(JSON.parse(readFileSync(made.file as string, 'utf8'))).toEqual({
      DCRM_JWT_SECRET: first.DCRM_JWT_SECRET,
      DCRM_INTERNAL_SECRET: first.DCRM_INTERNAL_SECRET,
    });

    const second: NodeJS.ProcessEnv = {};
    expect(ensureLocalSecrets(join(dir, '.data'), second).created).toBe(false);
    expect(second).toEqual(first);
  });

  it('leave secrets given in the environment alone and write nothing', () => {
    const dir = tempDir();
    const env: NodeJS.ProcessEnv = { DCRM_JWT_SECRET: 'j'.repeat(40), DCRM_INTERNAL_SECRET: 'i'.repeat(40) };
    expect(ensureLocalSecrets(join(dir, '.data'), env)).toEqual({ file: null, created: false });
    expect(env.DCRM_JWT_SECRET).toBe('j'.repeat(40));
  });
});
