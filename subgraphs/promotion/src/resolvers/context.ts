import type { SubgraphContext } from '@dcrm/kit';
import type { PromotionServices } from '../domain/services.js';
import type { PromotionLoaders } from '../loaders.js';

export type PromotionContext = SubgraphContext<PromotionLoaders, PromotionServices>;

/** The resolver map's type, generated from schema.graphql (`pnpm compose`): every resolver module is typed by it. */
export type { Resolvers as PromotionResolvers } from '../generated/resolvers.js';
