/**
 * The Volt storefront's catalogue as dcrm serves it, written out for Vendure's `populate()`: a products CSV
 * in Vendure's import format and the initial data (tax, zone, a collection per category). Read through dcrm's
 * own API, so Vendure gets exactly the products a Volt shopper sees (1,016 at `--scale 1500`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STOREFRONT_KEY } from '../operations.js';

type Exported = {
  name: string;
  slug: string;
  kind: string;
  description: string;
  category: { name: string } | null;
  attributes: { key: string; value: string }[];
  price: { amount: { amount: string | number; currencyCode: string } } | null;
};

type Page = { products: { totalCount: number; nodes: Exported[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

const PAGE = `query Export($after: String) {
  products(first: 100, after: $after) {
    totalCount
    nodes { name slug kind description category { name } attributes { key value } price { amount { amount currencyCode } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every product of the Volt storefront, page by page. */
export async function exportVolt(graphqlUrl: string): Promise<Exported[]> {
  const out: Exported[] = [];
  let after: string | null = null;
  for (;;) {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': STOREFRONT_KEY },
      body: JSON.stringify({ query: PAGE, variables: { after } }),
    });
    const body = (await res.json()) as { data?: Page; errors?: unknown[] };
    if (!res.ok || body.errors || !body.data) throw new Error(`dcrm export failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    out.push(...body.data.products.nodes);
    if (!body.data.products.pageInfo.hasNextPage) break;
    after = body.data.products.pageInfo.endCursor;
  }
  return out;
}

const COLUMNS = [
  'name',
  'slug',
  'description',
  'assets',
  'facets',
  'optionGroups',
  'optionValues',
  'sku',
  'price',
  'taxCategory',
  'stockOnHand',
  'trackInventory',
  'variantAssets',
  'variantFacets',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

const csvCell = (value = '') => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
// Vendure's facet syntax is `facet:value|facet:value`; those characters cannot appear in a value.
const facetValue = (value: string) => value.replace(/[:|]/g, ' ');
// Kind names as a shopper reads them (the facet value's name; its code is derived from it).
const KIND_NAMES: Record<string, string> = { PLAN: 'Plan', ADDON: 'Add-on', DEVICE: 'Device', BUNDLE: 'Bundle' };
// A device's second variant: another colour at the same price (Vendure has no product without a variant).
const OTHER_COLOUR: Record<string, string> = { Black: 'White' };
export const TAX_CATEGORY = 'Standard Tax';

function rows(product: Exported): Row[] {
  const attribute = (key: string) => product.attributes.find((a) => a.key === key)?.value;
  const facets = [`kind:${KIND_NAMES[product.kind] ?? product.kind}`];
  if (product.category) facets.push(`category:${facetValue(product.category.name)}`);
  const network = attribute('network');
  if (network) facets.push(`network:${facetValue(network)}`);
  // The headline price in major units, as the CSV wants it (dcrm's Money amounts are decimal strings).
  const price = String(product.price?.amount.amount ?? 0);
  const first: Row = {
    name: product.name,
    slug: product.slug,
    description: product.description,
    assets: `${product.slug}.png`,
    facets: facets.join('|'),
    sku: product.slug,
    price,
    taxCategory: TAX_CATEGORY,
    stockOnHand: '100',
    trackInventory: 'false',
  };
  if (product.kind !== 'DEVICE') return [first];
  const colour = attribute('colour') ?? 'Black';
  const other = OTHER_COLOUR[colour] ?? 'Black';
  return [
    { ...first, optionGroups: 'colour', optionValues: colour, sku: `${product.slug}-1` },
    { optionValues: other, sku: `${product.slug}-2`, price, taxCategory: TAX_CATEGORY, stockOnHand: '100', trackInventory: 'false' },
  ];
}

/** Vendure's `InitialData`, typed here loosely so this file needs no Vendure install (checked by Vendure at import). */
function initialData(categories: string[]) {
  return {
    defaultLanguage: 'en',
    defaultZone: 'Europe',
    taxRates: [{ name: TAX_CATEGORY, percentage: 20 }],
    shippingMethods: [{ name: 'Standard Shipping', price: 500 }],
    paymentMethods: [
      { name: 'Standard Payment', handler: { code: 'dummy-payment-handler', arguments: [{ name: 'automaticSettle', value: 'false' }] } },
    ],
    countries: [{ name: 'Ireland', code: 'IE', zone: 'Europe' }],
    collections: categories.map((name) => ({
      name,
      filters: [{ code: 'facet-value-filter', args: { facetValueNames: [name], containsAny: false } }],
    })),
  };
}

/** Writes `products.csv` and `initial-data.json` into `dir`; returns how many products and rows. */
export function writeImport(dir: string, products: Exported[]): { products: number; rows: number; categories: string[] } {
  const all = products.flatMap(rows);
  const lines = [COLUMNS.join(','), ...all.map((row) => COLUMNS.map((c) => csvCell(row[c])).join(','))];
  writeFileSync(join(dir, 'products.csv'), `${lines.join('\n')}\n`);
  const categories = [...new Set(products.flatMap((p) => (p.category ? [facetValue(p.category.name)] : [])))].sort();
  writeFileSync(join(dir, 'initial-data.json'), JSON.stringify(initialData(categories), null, 2));
  writeFileSync(join(dir, 'slugs.json'), JSON.stringify(products.map((p) => p.slug)));
  return { products: products.length, rows: all.length, categories };
}
