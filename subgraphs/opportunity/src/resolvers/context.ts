import type { SubgraphContext } from '@dcrm/kit';
import type { OpportunityServices } from '../domain/services.js';
import type { OpportunityLoaders } from '../loaders.js';

export type OpportunityContext = SubgraphContext<OpportunityLoaders, OpportunityServices>;

/** The resolver map's type, generated from schema.graphql (`pnpm compose`): every resolver module is typed by it. */
export type { Resolvers as OpportunityResolvers } from '../generated/resolvers.js';
