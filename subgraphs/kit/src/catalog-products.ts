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

const QUERY = `query CatalogProducts($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product {
  id name kind category { id } status prices { type amount { amount currencyCode } deposit { amount } taxCategory } compatibleAddons { id } } } }`;

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

/**
 * Products from the catalog, batched per request, asked as the caller (their storefront's assortment
 * and their prices, B2B lists included). A product the caller may not see comes back null.
 */
export function catalogLoader(catalog: SubgraphTarget, principal: Principal): DataLoader<string, CatalogProduct | null> {
  return new DataLoader(async (ids) => {
    const response = await catalog.execute(
      { query: QUERY, variables: { reps: ids.map((id) => ({ __typename: 'Product', id })) } },
      principal,
    );
    if (response.errors?.length) throw answerError('catalog', response.errors);
    const entities = (response.data?._entities ?? []) as Entity[];
    return ids.map((_, i) => (entities[i] ? toProduct(entities[i] as NonNullable<Entity>) : null));
  });
}

const LOCALE = '{ storefront { locale } }';

/** The storefront's locale for promotion messages (the catalog knows it); null when it cannot be read. */
export async function storefrontLocale(peers: Peers, principal: Principal): Promise<string | null> {
  const response = await peers('catalog')
    .execute({ query: LOCALE }, principal)
    .catch(() => null);
  return (response?.data?.storefront as { locale?: string } | null)?.locale ?? null;
}
