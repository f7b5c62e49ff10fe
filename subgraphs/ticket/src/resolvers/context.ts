import type { SubgraphContext } from '@dcrm/kit';
import type { TicketServices } from '../domain/services.js';
import type { TicketLoaders } from '../loaders.js';

export type TicketContext = SubgraphContext<TicketLoaders, TicketServices>;

/** The resolver map's type, generated from schema.graphql (`pnpm compose`): every resolver module is typed by it. */
export type { Resolvers as TicketResolvers } from '../generated/resolvers.js';
