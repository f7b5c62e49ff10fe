/**
 * Event-bus channels shared across subgraphs and the router. Domain events carry `eventId` (a UUID)
 * so a consumer with several instances can count each once.
 */
export const EVENTS = {
  productViewed: 'dcrm.product.viewed',
  cartAbandoned: 'dcrm.cart.abandoned',
  orderPlaced: 'dcrm.order.placed',
} as const;

/** Live-offer fan-out: the router subscribes to these for its graphql-ws subscribers; the payload is `{ offerId }`. */
export const offerChannels = {
  customer: (customerId: string) => `dcrm.offer.customer.${customerId}`,
  storefront: (storefrontId: string) => `dcrm.offer.storefront.${storefrontId}`,
};

export type OfferPublished = { offerId: string };
