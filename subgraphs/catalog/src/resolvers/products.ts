import { type Connection, type Resolvers, toConnection } from '@dcrm/kit';
import { PRICE_BANDS } from '../domain/pricing.js';
import {
  facetsSql,
  keyOf,
  type Listing,
  listing,
  type ProductFilter,
  type ProductSort,
  pageOf,
  pageSql,
} from '../domain/product-listing.js';
import { visibilityOf } from '../domain/visibility.js';
import type { ProductStatus } from '../entities/index.js';
import { type ProductView, productView } from '../entities/views.js';
import type { CatalogContext } from './context.js';

type ProductsArgs = {
  first?: number | null;
  after?: string | null;
  query?: string | null;
  filter?: (ProductFilter & { statuses?: ProductStatus[] | null }) | null;
  sort?: ProductSort | null;
};

type FacetRow = { facet: string; value: string | null; count: number };

/**
 * The connection keeps its listing so `totalCount` and `facets` run only when selected — as one
 * statement (one scan of the matches) shared by both.
 */
type ProductConnection = Connection<ProductView> & { listing: Listing; stats: () => Promise<FacetRow[]> };

export const productsResolvers: Resolvers = {
  Query: {
    products: async (_: unknown, args: ProductsArgs, ctx: CatalogContext): Promise<ProductConnection> => {
      const l = listing(visibilityOf(ctx.principal, args.filter?.statuses), args.query, args.filter, args.sort);
      const page = pageOf(l, args);
      const { sql, params } = pageSql(l, page);
      const rows = await ctx.em.execute(sql, params);
      const connection = toConnection(rows, page, l.sort, (row) => keyOf(row, l));
      const nodes = connection.nodes.map(productView);
      // Prime the by-id loader so `_entities` lookups in the same request need no extra SQL.
      for (const node of nodes) ctx.loaders.product.prime(node.id, node);
      let stats: Promise<FacetRow[]> | null = null;
      const { sql: facetQuery, params: facetParams } = facetsSql(l);
      return {
        ...connection,
        nodes,
        edges: connection.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i] })),
        listing: l,
        stats: () => (stats ??= ctx.em.execute(facetQuery, facetParams) as Promise<FacetRow[]>),
      };
    },
  },
  ProductConnection: {
    totalCount: async (c: ProductConnection) => (await c.stats()).find((r) => r.facet === 'total')?.count ?? 0,
    facets: async (c: ProductConnection, _: unknown, ctx: CatalogContext) => {
      const rows = await c.stats();
      const currencyCode = c.listing.visibility.storefrontId ? await storefrontCurrency(ctx) : 'XXX';
      const of = (facet: string) => rows.filter((r) => r.facet === facet);
      return {
        kinds: of('kind')
          .map((r) => ({ kind: r.value, count: r.count }))
          .sort((a, b) => b.count - a.count),
        categories: await Promise.all(
          of('category')
            .sort((a, b) => b.count - a.count)
            .map(async (r) => ({ category: await ctx.loaders.category.load(r.value as string), count: r.count })),
        ),
        priceBands: PRICE_BANDS.flatMap((b) => {
          const row = of('band').find((r) => r.value === b.band);
          return row
            ? [
                {
                  band: b.band,
                  count: row.count,
                  min: { amount: `${b.min}.00`, currencyCode },
                  max: b.max === null ? null : { amount: `${b.max}.00`, currencyCode },
                },
              ]
            : [];
        }),
      };
    },
  },
};

async function storefrontCurrency(ctx: CatalogContext): Promise<string> {
  const [row] = await ctx.em.execute('select currency_code from "catalog"."storefront" where id = ?', [ctx.principal.storefrontId]);
  return (row?.currency_code as string) ?? 'XXX';
}
