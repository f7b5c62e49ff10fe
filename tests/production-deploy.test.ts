import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing, dropDatabase, withDatabase } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Served, served, serveProcesses, stopProcesses } from './support/processes.js';
import { client, signIn } from './support/stack.js';

/**
 * The README's release, step by step, from a `pnpm deploy` copy (production dependencies only, no
 * workspace, no TypeScript): `bin/dcrm migrate` and `bin/dcrm bootstrap` on a new, empty database,
 * then `bin/serve` for every process, and the printed key and administrator against the served API.
 */
describe('a pnpm deploy copy: migrate, bootstrap, serve', { timeout: 300_000 }, () => {
  const adminUrl = withDatabase(inject('databaseUrl'), 'postgres');
  const database = `${new URL(inject('databaseUrl')).pathname.slice(1)}_deploy`;
  const url = withDatabase(inject('databaseUrl'), database);
  const copy = mkdtempSync(join(tmpdir(), 'dcrm-deploy-'));
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url };
  const dcrm = (...args: string[]) => spawnSync(join(copy, 'bin/dcrm'), args, { cwd: copy, env, encoding: 'utf8', timeout: 120_000 });
  let migrate: ReturnType<typeof dcrm>;
  let bootstrap: ReturnType<typeof dcrm>;
  let children: Served[] = [];

  beforeAll(async () => {
    if (!existsSync('stack/dist/src/cli/dcrm.js')) expect(spawnSync('stack/bin/build', { stdio: 'inherit' }).status).toBe(0);
    const deploy = spawnSync('pnpm', ['--filter', '@dcrm/stack', '--prod', 'deploy', '--legacy', '--prefer-offline', copy], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (deploy.status !== 0) throw new Error(`pnpm deploy failed: ${deploy.stderr}${deploy.stdout}`);
    await createDatabaseIfMissing(adminUrl, database);
    migrate = dcrm('migrate');
    bootstrap = dcrm(
      'bootstrap',
      '--storefront-name',
      'Volt Mobile',
      '--currency',
      'EUR',
      '--locale',
      'en-IE',
      '--admin-email',
      'ops@volt.example',
    );
    if (bootstrap.status === 0) children = await serveProcesses(join(copy, 'bin/serve'), { DATABASE_URL: url }, copy);
  });
  afterAll(async () => {
    await stopProcesses(children);
    await dropDatabase(adminUrl, database).catch(() => {});
    rmSync(copy, { recursive: true, force: true });
  });

  it('the copy holds no workspace, no TypeScript sources and no dev dependencies', () => {
    expect(existsSync(join(copy, 'pnpm-workspace.yaml'))).toBe(false);
    expect(existsSync(join(copy, '..', 'pnpm-workspace.yaml'))).toBe(false);
    for (const dev of ['tsx', 'typescript', 'vitest', '@biomejs/biome']) expect(existsSync(join(copy, 'node_modules', dev))).toBe(false);
  });

  it('bin/dcrm migrate applies every subgraph’s migrations to the empty database', () => {
    expect(migrate.stderr).toBe('');
    expect(migrate.status).toBe(0);
    for (const name of ['catalog', 'customer', 'cart', 'promotion', 'opportunity', 'ticket', 'quote'])
      expect(migrate.stdout).toMatch(new RegExp(`^${name}: applied `, 'm'));
  });

  it('bin/dcrm bootstrap prints a key and an administrator that work against bin/serve', async () => {
    expect(bootstrap.stderr).toBe('');
    expect(bootstrap.status).toBe(0);
    const key = /private key\s+(dcrm_sk_\S+)/.exec(bootstrap.stdout)?.[1] as string;
    const password = /administrator\s+ops@volt\.example\s+password (\S+)/.exec(bootstrap.stdout)?.[1] as string;
    expect(key).toBeDefined();
    expect(password).toBeDefined();
    for (const { child } of children) {
      const command = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' ');
      expect(command).toContain(`--conditions=compiled ${copy}/dist/src/cli/dcrm.js serve`);
    }
    const router = served(children, 'router').base;
    const storefront = await client(router, key)('{ storefront { name slug currencyCode locale } products(first: 1) { nodes { id } } }');
    expect(storefront.body.errors).toBeUndefined();
    expect(storefront.body.data).toEqual({
      storefront: { name: 'Volt Mobile', slug: 'volt-mobile', currencyCode: 'EUR', locale: 'en-IE' },
      products: { nodes: [] },
    });
    const staff = await signIn(router, 'staffLogin', 'ops@volt.example', key, password);
    const keys = await staff.gql('{ apiKeys { nodes { name kind } } }');
    expect(keys.body.errors).toBeUndefined();
    expect(keys.body.data?.apiKeys.nodes).toEqual([{ name: 'Volt Mobile (bootstrap)', kind: 'PRIVATE' }]);
  });
});
