import type { Resolvers } from '@dcrm/kit';

/** Offers and real-time rules: Query.offer/storefrontLiveOffers/offerRules, Mutation.offer*, Customer/Product.offers. */
export const offerResolvers: Resolvers = {};
