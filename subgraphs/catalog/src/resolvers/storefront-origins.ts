import { mayActOn } from '@dcrm/kit';
import { storefrontOrigins, storefrontOriginsSet } from '../domain/storefront-origins.js';
import type { CatalogResolvers } from './context.js';

export const storefrontOriginsResolvers: CatalogResolvers = {
  Query: {
    storefrontOrigins: (_, __, ctx) => storefrontOrigins(ctx.em),
  },
  Mutation: {
    storefrontOriginsSet: async (_, { input }, ctx) => {
      const result = await storefrontOriginsSet(ctx.em, ctx.services.bus, ctx.principal, input);
      return result.ok ? { storefront: result.value, userErrors: [] } : { storefront: null, userErrors: result.errors };
    },
  },
  Storefront: {
    // @internal admits staff of any brand; the list is only for staff of this one.
    allowedOrigins: (storefront, _, ctx) => (mayActOn(ctx.principal, storefront.id) ? storefront.allowedOrigins : null),
  },
};
