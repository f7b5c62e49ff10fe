import type { SubgraphContext } from '@dcrm/kit';
import type { CustomerServices } from '../domain/services.js';
import type { CustomerLoaders } from '../loaders.js';

export type CustomerContext = SubgraphContext<CustomerLoaders, CustomerServices>;

/** The resolver map's type, generated from schema.graphql (`pnpm compose`): every resolver module is typed by it. */
export type { Resolvers as CustomerResolvers } from '../generated/resolvers.js';
