import type { SubgraphContext } from '@dcrm/kit';
import type { CartServices } from '../domain/services.js';
import type { CartLoaders } from '../loaders.js';

export type CartContext = SubgraphContext<CartLoaders, CartServices>;

/** The resolver map's type, generated from schema.graphql (`pnpm compose`): every resolver module is typed by it. */
export type { Resolvers as CartResolvers } from '../generated/resolvers.js';
