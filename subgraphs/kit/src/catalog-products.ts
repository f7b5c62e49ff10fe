import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import DataLoader from 'dataloader';
import type { Principal } from './principal.js';
import type { Peers } from './subgraph.js';
import { answerError, type SubgraphTarget } from './targets.js';
import type { TaxCategory } from './totals.js';

/** What a subgraph needs of a product to price it (cart lines, quote lines), as the catalog prices it for a caller. */
export type CatalogProduct = {
  id: string;
  name: string;
  kind: 'PLAN' | 'ADDON' | 'DEVICE' | 'BUNDLE';
  /** Its category (promotions can target categories). */
  categoryId: string | null;
  status: 'DRAFT' | 'ACTIVE' | 'ARCHIVED';
  recurring: string | null;
  oneOff: string | null;
  deposit: string | null;
  currencyCode: string | null;
  taxCategory: TaxCategory;
  compatibleAddonIds: string[];
};

type Price = {
  type: 'RECURRING' | 'ONE_OFF';
  amount: { amount: string; currencyCode: string };
  deposit: { amount: string } | null;
  taxCategory: TaxCategory;
};
type Entity = {
  id: string;
  name: string;
  kind: CatalogProduct['kind'];
  category: { id: string } | null;
  status: CatalogProduct['status'];
  prices: Price[];
  compatibleAddons: { id: string }[];
} | null;

const ENTITIES = `_entities(representations: $reps) { ... on Product {
  id name kind category { id } status prices { type amount { amount currencyCode } deposit { amount } taxCategory } compatibleAddons { id } } }`;
const QUERY = `query CatalogProducts($reps: [_Any!]!) { ${ENTITIES} }`;
const QUERY_WITH_LOCALE = `query CatalogProductsAndLocale($reps: [_Any!]!) { ${ENTITIES} storefront { locale } }`;
const LOCALE = '{ storefront { locale } }';

function toProduct(entity: NonNullable<Entity>): CatalogProduct {
  const recurring = entity.prices.find((p) => p.type === 'RECURRING');
  const oneOff = entity.prices.find((p) => p.type === 'ONE_OFF');
  const headline = recurring ?? oneOff;
  return {
    id: entity.id,
    name: entity.name,
    kind: entity.kind,
    categoryId: entity.category?.id ?? null,
    status: entity.status,
    recurring: recurring?.amount.amount ?? null,
    oneOff: oneOff?.amount.amount ?? null,
    deposit: oneOff?.deposit?.amount ?? recurring?.deposit?.amount ?? null,
    currencyCode: headline?.amount.currencyCode ?? null,
    taxCategory: headline?.taxCategory ?? 'STANDARD',
    compatibleAddonIds: entity.compatibleAddons.map((a) => a.id),
  };
}

/** The products of an answer, in `ids` order; throws on any error but one about the storefront's locale. */
function productsOf(response: GatewayGraphQLResponse, ids: readonly string[]): (CatalogProduct | null)[] {
  const errors = response.errors?.filter((e) => e.path?.[0] !== 'storefront');
  if (errors?.length) throw answerError('catalog', errors);
  const entities = (response.data?._entities ?? []) as Entity[];
  return ids.map((_, i) => (entities[i] ? toProduct(entities[i] as NonNullable<Entity>) : null));
}

const localeOf = (response: GatewayGraphQLResponse | null): string | null =>
  (response?.data?.storefront as { locale?: string } | null | undefined)?.locale ?? null;

const representations = (ids: readonly string[]) => ({ reps: ids.map((id) => ({ __typename: 'Product', id })) });

/**
 * Products from the catalog, batched per request, asked as the caller (their storefront's assortment
 * and their prices, B2B lists included). A product the caller may not see comes back null.
 */
export function catalogLoader(catalog: SubgraphTarget, principal: Principal): DataLoader<string, CatalogProduct | null> {
  return new DataLoader(async (ids) =>
    productsOf(await catalog.execute({ query: QUERY, variables: representations(ids) }, principal), ids),
  );
}

/** What a request asks the catalog: products (as `catalogLoader`) and the storefront's locale (as `storefrontLocale`). */
export type CatalogReader = {
  products: DataLoader<string, CatalogProduct | null>;
  /** Read with the request's first batch of products when that batch is asked before it; else on its own. */
  locale(): Promise<string | null>;
};

/**
 * A request's catalog reads with the storefront's locale riding along the first batch of products: a
 * cart edit prices its lines, then its promotions need the locale, and the catalog is called once, not
 * twice in a row. The first batch is known from its first `load` on, before it is sent, so a `locale()`
 * in between waits for it; an error on the locale alone leaves it null and the products standing.
 */
export function catalogReader(catalog: SubgraphTarget, principal: Principal): CatalogReader {
  let locale: Promise<string | null> | null = null;
  let carry: ((locale: string | null) => void) | null = null;
  const products = new DataLoader<string, CatalogProduct | null>(
    async (ids) => {
      const settle = carry;
      carry = null;
      const query = settle ? QUERY_WITH_LOCALE : QUERY;
      const response = await catalog.execute({ query, variables: representations(ids) }, principal).catch((error: Error) => {
        settle?.(null);
        throw error;
      });
      settle?.(localeOf(response));
      return productsOf(response, ids);
    },
    {
      batchScheduleFn: (dispatch) => {
        if (!locale) locale = new Promise((resolve) => (carry = resolve));
        // DataLoader's own timing: after the promise jobs queued so far, so their loads join the batch.
        void Promise.resolve().then(() => process.nextTick(dispatch));
      },
    },
  );
  return { products, locale: () => (locale ??= readLocale(catalog, principal)) };
}

const readLocale = (catalog: SubgraphTarget, principal: Principal) =>
  catalog
    .execute({ query: LOCALE }, principal)
    .then(localeOf)
    .catch(() => null);

/**
 * The storefront's locale for promotion messages (the catalog knows it); null when it cannot be read.
 * Async, so a caller without a catalog peer (`peers` throws) gets a rejection it can catch, as before.
 */
export async function storefrontLocale(peers: Peers, principal: Principal): Promise<string | null> {
  return readLocale(peers('catalog'), principal);
}
