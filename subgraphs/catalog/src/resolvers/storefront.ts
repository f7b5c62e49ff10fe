import type { Resolvers } from '@dcrm/kit';
import { type IStorefront, Storefront } from '../entities/index.js';
import type { CatalogContext } from './context.js';

/** A storefront is visible only to requests scoped to it (services see any). */
async function visibleStorefront(ctx: CatalogContext, id: string | null): Promise<IStorefront | null> {
  if (!id) return null;
  if (ctx.principal.kind !== 'service' && ctx.principal.storefrontId !== id) return null;
  return ctx.em.findOne(Storefront, { id });
}

export const storefrontResolvers: Resolvers = {
  Query: {
    storefront: (_: unknown, __: unknown, ctx: CatalogContext) => visibleStorefront(ctx, ctx.principal.storefrontId),
  },
  Storefront: {
    __resolveReference: (ref: { id: string }, ctx: CatalogContext) => visibleStorefront(ctx, ref.id),
  },
};
