import { newId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Stack } from '../../../stack/src/stack.js';
import { DEMO_PASSWORD, signIn } from '../../../tests/support/stack.js';
import { administratorCreate } from '../../customer/src/domain/administrator.js';
import { Customer } from '../../customer/src/entities/index.js';
import { type ILead, Lead } from '../src/entities/index.js';

/**
 * A brand of its own for one test file: a storefront id nobody else uses and its administrator (every
 * staff scope, every segment), signed in through the router. Leads, rules and imports there never show
 * in another file's lists, and other brands' staff must not reach them.
 */
export async function freshBrand(stack: Stack) {
  const storefrontId = newId();
  const email = `admin-${storefrontId.slice(-12)}@brand.example`;
  const customer = subgraph(stack, 'customer');
  const created = await administratorCreate(customer.orm.em.fork() as EntityManager, {
    storefrontId,
    email,
    name: 'Fresh Brand Admin',
    password: DEMO_PASSWORD,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const { gql } = await signIn(stack.router.handler, 'staffLogin', email);
  return { storefrontId, gql };
}

export const subgraph = (stack: Stack, name: string) =>
  stack.subgraphs.find((s) => s.definition.name === name) as Stack['subgraphs'][number];

/** Inserts leads straight through the opportunity ORM (the flush derives keys, score and duplicateOf, as for any write). */
export async function insertLeads(stack: Stack, storefrontId: string, leads: Partial<ILead>[]): Promise<ILead[]> {
  const em = subgraph(stack, 'opportunity').orm.em.fork() as EntityManager;
  const rows = leads.map((l) =>
    em.create(Lead, {
      id: newId(),
      storefrontId,
      channel: 'PORTAL',
      status: 'NEW',
      segment: 'consumer',
      productIds: [],
      scoreExplanation: [],
      capturedAt: new Date(),
      createdBy: 'test',
      ...l,
    } as ILead),
  );
  await em.flush();
  return rows;
}

export const opportunitySql = (stack: Stack, query: string, params: unknown[] = []) =>
  subgraph(stack, 'opportunity').orm.em.fork().getConnection().execute(query, params) as Promise<Record<string, any>[]>;

/** An account of the brand, straight through the customer ORM (no password: it has not signed up). */
export async function insertCustomer(
  stack: Stack,
  storefrontId: string,
  account: { name: string; email: string; mobile?: string | null; segment?: string },
): Promise<string> {
  const em = subgraph(stack, 'customer').orm.em.fork() as EntityManager;
  const id = newId();
  const segment = account.segment ?? 'consumer';
  em.create(Customer, {
    id,
    storefrontId,
    type: segment === 'consumer' ? 'INDIVIDUAL' : 'BUSINESS',
    name: account.name,
    email: account.email,
    mobile: account.mobile ?? null,
    passwordHash: null,
    category: segment === 'consumer' ? 'CONSUMER' : 'SME',
    segment,
    lifecycleStage: 'ONBOARDING',
    consents: [],
    notificationPreferences: [],
  });
  await em.flush();
  return id;
}

/**
 * Makes the fresh brand a catalog storefront (a copy of `template`'s settings) carrying these products,
 * so references to them are the brand's own.
 */
export async function carryProducts(stack: Stack, storefrontId: string, template: string, productIds: string[]): Promise<void> {
  const sql = subgraph(stack, 'catalog').orm.em.fork().getConnection();
  await sql.execute(
    `insert into catalog.storefront select (jsonb_populate_record(null::catalog.storefront, to_jsonb(s) || ?::jsonb)).*
     from catalog.storefront s where s.id = ? on conflict (id) do nothing`,
    [JSON.stringify({ id: storefrontId, slug: `brand-${storefrontId.slice(-12)}` }), template],
  );
  for (const productId of productIds)
    await sql.execute(`insert into catalog.storefront_product (storefront_id, product_id) values (?, ?) on conflict do nothing`, [
      storefrontId,
      productId,
    ]);
}
