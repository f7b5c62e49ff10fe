import type { Resolvers } from '@dcrm/kit';
import { storesNear, storeView } from '../domain/stores.js';
import { requireStorefront } from '../domain/visibility.js';
import type { CatalogContext } from './context.js';

type Args = { latitude: number; longitude: number; radiusKm?: number | null; first?: number | null };

export const storesNearResolvers: Resolvers = {
  Query: {
    storesNear: (_: unknown, args: Args, ctx: CatalogContext) =>
      storesNear(ctx.em, requireStorefront(ctx.principal), {
        latitude: args.latitude,
        longitude: args.longitude,
        radiusKm: args.radiusKm ?? 10,
        first: args.first ?? 20,
      }),
  },
  Store: {
    __resolveReference: async (ref: { id: string }, ctx: CatalogContext) => {
      const [row] = await ctx.em.execute('select *, null as distance_km from "catalog"."store" where id = ? and storefront_id = ?', [
        ref.id,
        ctx.principal.storefrontId,
      ]);
      return row ? storeView(row) : null;
    },
  },
};
