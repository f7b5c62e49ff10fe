import { selectsAnyAt, thenNow, toConnection } from '@dcrm/kit';
import { PRICE_BANDS } from '../domain/pricing.js';
import { type FacetRow, facetOf, facetRows, keyOf, listing, pageOf, pageRows } from '../domain/product-listing.js';
import { visibilityOf } from '../domain/visibility.js';
import { type CategoryView, categoryView } from '../entities/views.js';
import type { CatalogContext, CatalogResolvers } from './context.js';

export const productsResolvers: CatalogResolvers = {
  Query: {
    products: async (_, args, ctx, info) => {
      const l = listing(visibilityOf(ctx.principal, args.filter?.statuses), args.query, args.filter, args.sort);
      // Search also matches names in the asked language (only when one is asked: no extra lookup otherwise).
      if (l.tsquery && ctx.loaders.texts.requested.length) l.searchLocales = ctx.loaders.texts.requested;
      l.nameLocales = ctx.loaders.texts.requested;
      const page = pageOf(l, args);
      // The page's rows carry their prices and texts, and their categories when those are asked (one statement for all).
      const category = selectsAnyAt(info, ['nodes'], ['category']) || selectsAnyAt(info, ['edges', 'node'], ['category']);
      const rows = await pageRows(ctx.em, l, page, (params) => ctx.loaders.productColumns(params, category));
      const connection = toConnection(rows, page, l.sort, (row) => keyOf(row, l));
      const nodes = await ctx.loaders.productViews(connection.nodes);
      // Prime the by-id loader so `_entities` lookups in the same request need no extra SQL.
      for (const node of nodes) ctx.loaders.product.prime(node.id, node);
      let stats: Promise<FacetRow[]> | null = null;
      return {
        ...connection,
        nodes,
        edges: connection.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i] })),
        listing: l,
        // Counted categories come with their texts (`facets` names them without a statement of its own).
        stats: () => (stats ??= facetRows(ctx.em, l, (params) => ctx.loaders.texts.columns(params, 'category', 'c'))),
      };
    },
  },
  ProductConnection: {
    totalCount: async (c) => facetOf(await c.stats(), 'total')[0]?.count ?? 0,
    facets: async (c, _, ctx) => {
      const rows = await c.stats();
      const currencyCode = facetOf(rows, 'currency')[0]?.value ?? 'XXX';
      for (const r of facetOf(rows, 'category')) ctx.loaders.category.prime(r.value, categoryView(r.category));
      ctx.loaders.texts.primeRows(
        facetOf(rows, 'category').map((r) => r.category),
        'category',
      );
      const bands = facetOf(rows, 'band');
      return {
        kinds: facetOf(rows, 'kind')
          .map((r) => ({ kind: r.value, count: r.count }))
          .sort((a, b) => b.count - a.count),
        // Primed just above: plain values, no promise per category.
        categories: facetOf(rows, 'category')
          .sort((a, b) => b.count - a.count)
          .map((r) => ({ category: existingCategory(ctx, r.value), count: r.count })),
        priceBands: PRICE_BANDS.flatMap((b) => {
          const row = bands.find((r) => r.value === b.band);
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

/** A facet's category comes from a product's foreign key, so it exists; `CategoryFacet.category` is non-null. */
function existingCategory(ctx: CatalogContext, id: string): CategoryView | Promise<CategoryView> {
  return thenNow(ctx.loaders.category.now(id), (category) => {
    if (!category) throw new Error(`category ${id} of a product does not exist`);
    return category;
  });
}
