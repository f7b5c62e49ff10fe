import type { SubgraphContext } from '@dcrm/kit';
import type { QuoteServices } from '../domain/services.js';
import type { QuoteLoaders } from '../loaders.js';

export type QuoteContext = SubgraphContext<QuoteLoaders, QuoteServices>;

/** The resolver map's type, generated from schema.graphql (`pnpm compose`): every resolver module is typed by it. */
export type { Resolvers as QuoteResolvers } from '../generated/resolvers.js';
