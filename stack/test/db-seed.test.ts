import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// A database nobody answers at: were the guard missing, the CLI would fail later with another message.
const run = (...args: string[]) => script('stack/src/cli/db.ts', ...args);
const script = (file: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' },
  });

describe('pnpm db:seed', () => {
  it('refuses to load the public demo passwords and keys into a production database', () => {
    const out = run('seed');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('refusing with NODE_ENV=production');
  });

  it('goes ahead in production only when told it is a demo (--demo)', () => {
    const out = run('seed', '--demo');
    expect(out.stderr).not.toContain('refusing with NODE_ENV=production');
  });
});

describe('pnpm start (all-in-one demo)', () => {
  it('refuses to seed the demo into a production database', () => {
    const out = script('stack/src/all-in-one.ts');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('refusing with NODE_ENV=production');
  });
});
