/**
 * `pnpm dcrm bootstrap --storefront-name <name> --currency <ISO 4217> --admin-email <email>
 *    [--storefront-slug <slug>] [--locale en-IE] [--admin-name <name>]`
 *
 * The first storefront, its administrator (every staff scope, every segment) and a private API key, on
 * an empty database that `db:migrate` has prepared — no demo data (that is `db:seed`). The
 * administrator's password (`DCRM_ADMIN_PASSWORD`, else generated) and the key are printed once: only
 * their hashes are stored. Refuses, changing nothing, once the database has a storefront or staff.
 * Uses DATABASE_URL, or the embedded PostgreSQL when it is unset.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { catalogSubgraph } from '@dcrm/catalog';
import { storefrontCreate } from '@dcrm/catalog/domain/storefront-create.js';
import { Storefront } from '@dcrm/catalog/entities/index.js';
import { customerSubgraph } from '@dcrm/customer';
import { administratorCreate } from '@dcrm/customer/domain/administrator.js';
import { apiKeyCreate, PRIVATE_KEY_SCOPES } from '@dcrm/customer/domain/api-keys.js';
import { principalFor } from '@dcrm/customer/domain/sessions.js';
import { Staff } from '@dcrm/customer/entities/index.js';
import {
  createOrm,
  exitOnStartupError,
  type MikroORM,
  openDatabase,
  passwordProblem,
  type Result,
  StartupError,
  type SubgraphDefinition,
  type UserError,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

const USAGE =
  'usage: dcrm bootstrap --storefront-name <name> --currency <EUR|GBP|…> --admin-email <email> ' +
  '[--storefront-slug <slug>] [--locale <en-IE>] [--admin-name <name>]  (password: DCRM_ADMIN_PASSWORD, else generated)';

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      'storefront-name': { type: 'string' },
      'storefront-slug': { type: 'string' },
      currency: { type: 'string' },
      locale: { type: 'string', default: 'en' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string', default: 'Administrator' },
      help: { type: 'boolean' },
    },
  });
  const name = values['storefront-name'];
  const currency = values.currency;
  const email = values['admin-email'];
  if (values.help || !name || !currency || !email) {
    console.error(USAGE);
    process.exit(64);
  }
  const slug =
    values['storefront-slug'] ??
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return { name, slug, currency: currency.toUpperCase(), locale: values.locale, email, adminName: values['admin-name'] };
}

/** A password that meets the sign-in rules (letters and digits, 24 characters). */
function generatedPassword(): string {
  for (;;) {
    const candidate = randomBytes(18).toString('base64url');
    if (!passwordProblem(candidate)) return candidate;
  }
}

function adminPassword(): string {
  const given = process.env.DCRM_ADMIN_PASSWORD;
  if (!given) return generatedPassword();
  const problem = passwordProblem(given);
  if (problem) {
    console.error(`[dcrm] bootstrap: DCRM_ADMIN_PASSWORD: ${problem}`);
    process.exit(64);
  }
  return given;
}

/** The value of a domain result, or a one-line startup error naming each problem. */
function created<T>(what: string, result: Result<T>): T {
  if (result.ok) return result.value;
  const problems = result.errors.map((e: UserError) => `${e.field?.join('.') ?? what}: ${e.message}`).join('; ');
  throw new StartupError(`${what} not created (${problems}); nothing else was changed`);
}

async function openOrm(definition: SubgraphDefinition, databaseUrl: string): Promise<MikroORM> {
  const orm = await createOrm({
    name: definition.name,
    databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    auditExclude: definition.auditExclude,
    poolSize: 2,
  });
  const pending = await orm.migrator.getPending().catch(() => null);
  if (pending === null || pending.length > 0) {
    await orm.close();
    throw new StartupError(`the ${definition.name} schema is not migrated: run \`pnpm db:migrate\` (or \`dcrm migrate\`) first`);
  }
  return orm;
}

const input = options();
const password = adminPassword();
const database = await openDatabase().catch(exitOnStartupError);
const orms: MikroORM[] = [];
try {
  const catalog = await openOrm(catalogSubgraph, database.url);
  orms.push(catalog);
  const customer = await openOrm(customerSubgraph, database.url);
  orms.push(customer);
  const catalogEm = catalog.em.fork() as EntityManager;
  const customerEm = customer.em.fork() as EntityManager;
  if ((await catalogEm.count(Storefront, {})) > 0 || (await customerEm.count(Staff, {})) > 0) {
    throw new StartupError('this database already has storefronts or staff: bootstrap is for an empty database; nothing was changed');
  }
  const storefront = created(
    'storefront',
    await storefrontCreate(catalogEm, { slug: input.slug, name: input.name, currencyCode: input.currency, locale: input.locale }),
  );
  const admin = created(
    'administrator',
    await administratorCreate(customerEm, { storefrontId: storefront.id, email: input.email, name: input.adminName, password }),
  );
  // The key is made as the new administrator would make it through the API (apiKeyCreate), with the same checks.
  const principal = await principalFor(customerEm, 'staff', admin.id);
  if (!principal) throw new Error('the administrator just created cannot be read back');
  const key = created(
    'API key',
    await apiKeyCreate(customerEm, principal, { kind: 'PRIVATE', name: `${storefront.name} (bootstrap)`, scopes: PRIVATE_KEY_SCOPES }),
  );
  console.log(`dcrm bootstrapped — note the two secrets below now: they are shown only this once.

  storefront      ${storefront.name} (slug ${storefront.slug}, ${storefront.currencyCode}, ${storefront.locale})  id ${storefront.id}
  administrator   ${admin.email}  password ${process.env.DCRM_ADMIN_PASSWORD ? '(DCRM_ADMIN_PASSWORD)' : password}
                  every staff scope on this storefront: ${principal.scopes.join(', ')}
  private key     ${key.secret}
                  x-api-key for server-side clients; scopes ${key.apiKey.scopes.join(', ')}

Sign in with staffLogin, change the password with staffPasswordChange, and create the storefront's
public key and further keys with apiKeyCreate.`);
} catch (error) {
  await Promise.all(orms.map((orm) => orm.close()));
  await database.stop();
  if (!(error instanceof StartupError)) exitOnStartupError(error);
  console.error(`[dcrm] bootstrap: ${error.message}`);
  process.exit(1);
}
await Promise.all(orms.map((orm) => orm.close()));
await database.stop();
