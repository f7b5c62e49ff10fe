import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { STAFF_SCOPES } from '@dcrm/customer/domain/administrator.js';
import { PRIVATE_KEY_SCOPES } from '@dcrm/customer/domain/api-keys.js';
import { createDatabaseIfMissing, dropDatabase, SERVICE_SCOPES, withDatabase } from '@dcrm/kit';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { client, signIn } from '../../tests/support/stack.js';
import { type Stack, startStack } from '../src/stack.js';
import { SUBGRAPHS } from '../src/subgraphs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'ops@bootstrap.example';
const PASSWORD = 'first-admin-pass-2026';

/** `stack/bin/dcrm <args>` on the throwaway database, as an operator runs it. */
const dcrm = (databaseUrl: string, ...args: string[]) =>
  spawnSync('stack/bin/dcrm', args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DATABASE_URL: databaseUrl, DCRM_ADMIN_PASSWORD: PASSWORD },
  });

describe('dcrm bootstrap on an empty production database', { timeout: 240_000 }, () => {
  const admin = withDatabase(inject('databaseUrl'), 'postgres');
  const name = `${new URL(inject('databaseUrl')).pathname.slice(1)}_bootstrap`;
  const url = withDatabase(inject('databaseUrl'), name);
  let first: ReturnType<typeof dcrm>;
  let stack: Stack | undefined;

  beforeAll(async () => {
    await createDatabaseIfMissing(admin, name);
    expect(dcrm(url, 'migrate').status).toBe(0);
    first = dcrm(url, 'bootstrap', '--storefront-name', 'Fjord Fibre', '--currency', 'nok', '--locale', 'nb-NO', '--admin-email', ADMIN);
  });
  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(admin, name).catch(() => {});
    // The refused bootstrap below connects first, and that creates its database.
    await dropDatabase(admin, `${name}_missing`).catch(() => {});
  });

  it('creates the storefront, its administrator and a private key, printing the key once', async () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const key = /private key\s+(dcrm_sk_\S+)/.exec(first.stdout)?.[1];
    expect(key).toBeDefined();
    // A password given through the environment is not echoed.
    expect(first.stdout).not.toContain(PASSWORD);

    stack = await startStack({ databaseUrl: url, seed: false });
    const storefront = await client(
      stack.router.handler,
      key,
    )('{ storefront { name slug currencyCode locale } products(first: 1) { nodes { id } } }');
    expect(storefront.body.errors).toBeUndefined();
    expect(storefront.body.data).toEqual({
      storefront: { name: 'Fjord Fibre', slug: 'fjord-fibre', currencyCode: 'NOK', locale: 'nb-NO' },
      products: { nodes: [] },
    });

    const staff = await signIn(stack.router.handler, 'staffLogin', ADMIN, key, PASSWORD);
    const me = await staff.gql('{ apiKeys { nodes { name kind scopes } } }');
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data?.apiKeys.nodes).toEqual([expect.objectContaining({ name: 'Fjord Fibre (bootstrap)', kind: 'PRIVATE' })]);
  });

  it('a second run refuses and changes nothing', async () => {
    const again = dcrm(url, 'bootstrap', '--storefront-name', 'Other', '--currency', 'EUR', '--admin-email', 'other@bootstrap.example');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has storefronts or staff');
    const catalog = stack?.subgraphs.find((s) => s.definition.name === 'catalog');
    const counts = await catalog?.orm.em
      .getConnection()
      .execute('select (select count(*) from catalog.storefront)::int as storefronts, (select count(*) from customer.staff)::int as staff');
    expect(counts).toEqual([{ storefronts: 1, staff: 1 }]);
  });

  it('refuses a database that db:migrate has not prepared', () => {
    const out = dcrm(
      withDatabase(inject('databaseUrl'), `${name}_missing`),
      'bootstrap',
      '--storefront-name',
      'X',
      '--currency',
      'EUR',
      '--admin-email',
      ADMIN,
    );
    expect(out.status).not.toBe(0);
  });
});

describe('STAFF_SCOPES (what an administrator gets)', () => {
  it('with the service scopes and the private-key-only ones, names every scope an @access directive asks for', () => {
    const asked = new Set(
      SUBGRAPHS.flatMap((s) =>
        [...print(s.typeDefs).matchAll(/scopes: \[([^\]]*)\]/g)].flatMap((m) => m[1].match(/[a-z]+:[a-z-]+/g) ?? []),
      ),
    );
    // `events:write` is a CSP system's key's alone (eventsIngest admits no staff): it is listed with the key scopes.
    const known = new Set<string>([...STAFF_SCOPES, ...Object.values(SERVICE_SCOPES), ...PRIVATE_KEY_SCOPES]);
    expect([...asked].filter((s) => !known.has(s))).toEqual([]);
  });
});
