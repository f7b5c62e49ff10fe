import { storesNear } from '../domain/stores.js';
import { requireStorefront } from '../domain/visibility.js';
import type { CatalogResolvers } from './context.js';

export const storesNearResolvers: CatalogResolvers = {
  Query: {
    storesNear: (_, args, ctx) =>
      storesNear(ctx.em, requireStorefront(ctx.principal), {
        latitude: args.latitude,
        longitude: args.longitude,
        radiusKm: args.radiusKm ?? 10,
        first: args.first ?? 20,
      }),
  },
  Store: {
    // Another brand's store resolves to null, like an unknown one.
    __resolveReference: (ref, ctx) => ctx.loaders.store.load(ref.id),
  },
};
