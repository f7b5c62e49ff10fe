import type { Resolvers } from '@dcrm/kit';

/** Staff CRUD of promotions: Query.promotions/promotion, Mutation.promotionCreate/Update, type Promotion. */
export const promotionResolvers: Resolvers = {};
