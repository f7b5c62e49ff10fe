/**
 * Event-bus channels shared across subgraphs and the router. Domain events carry `eventId` (a UUID)
 * so a consumer with several instances can count each once.
 */
export const EVENTS = {
  productViewed: 'dcrm.product.viewed',
  cartAbandoned: 'dcrm.cart.abandoned',
  orderPlaced: 'dcrm.order.placed',
  leadCaptured: 'dcrm.lead.captured',
  leadQualified: 'dcrm.lead.qualified',
  opportunityWon: 'dcrm.opportunity.won',
  opportunityLost: 'dcrm.opportunity.lost',
  quoteAccepted: 'dcrm.quote.accepted',
} as const;

/** Live-offer fan-out: the router subscribes to these for its graphql-ws subscribers; the payload is `OfferPublished`. */
export const offerChannels = {
  customer: (customerId: string) => `dcrm.offer.customer.${customerId}`,
  storefront: (storefrontId: string) => `dcrm.offer.storefront.${storefrontId}`,
};

/**
 * `offer`: a public offer's own fields as `Offer` answers them to anyone of its storefront (dates as
 * RFC 3339 text), sent by the writer that has the row: routers deliver those fields from it instead of
 * asking promotion for the offer again. Absent for personal offers and where the row is not at hand.
 */
export type OfferPublished = { offerId: string; offer?: PublicOfferFields };

/** A public offer's fields every subscriber of its storefront may read (router/src/subscriptions/event-offer.ts). */
export type PublicOfferFields = {
  id: string;
  storefrontId: string;
  source: string;
  title: string;
  message: string;
  content: string | null;
  link: string | null;
  imageUrl: string | null;
  couponCode: string | null;
  productId: string | null;
  score: number;
  status: string;
  createdAt: string;
  expiresAt: string | null;
};

/**
 * An account got its negotiated price list (catalog publishes it): routers stop pricing that customer's
 * public live offers with everyone else of its segment; the payload is `AccountPriceListCreated`.
 */
export const ACCOUNT_PRICE_LIST_CREATED = 'dcrm.pricelist.account.created';
export type AccountPriceListCreated = { storefrontId: string; customerId: string; priceListId: string };

/**
 * The catalog committed a mutation (it publishes before answering it): routers forget the catalog
 * content they keep for live lookups (router/src/subscriptions/lookup-cache.ts); the payload is `CatalogChanged`.
 */
export const CATALOG_CHANGED = 'dcrm.catalog.changed';
/** `storefrontId`: the brand the mutation acted in (null: none, e.g. the shared taxonomy). */
export type CatalogChanged = { storefrontId: string | null };

/** A bulk operation's progress (customer publishes after each batch and status change): the router's `bulkOperationProgress` subscribers; the payload is `{ operationId }`. */
export const bulkOperationChannel = (operationId: string) => `dcrm.bulk.operation.${operationId}`;
export type BulkProgressPublished = { operationId: string };

/** Revocations (customer publishes them): routers forget credentials at once instead of when their cache expires. */
export const API_KEY_REVOKED = 'dcrm.apikey.revoked';
/** A key's settings changed (cost budget): routers drop their cached grant; its sockets stay open. */
export const API_KEY_CHANGED = 'dcrm.apikey.changed';
export const SESSION_REVOKED = 'dcrm.session.revoked';

/** A storefront's allowed browser origins changed (catalog publishes it): routers reload their CORS origins; the payload is `{ storefrontId }`. */
export const STOREFRONT_ORIGINS_CHANGED = 'dcrm.storefront.origins.changed';

/** Payloads on the EVENTS channels (the cart subgraph publishes them; promotion's real-time rules consume them). */
export type ProductViewedEvent = { eventId: string; storefrontId: string; customerId: string; productId: string; at: string };
export type CartAbandonedEvent = {
  eventId: string;
  dropLinkId: string;
  storefrontId: string;
  customerId: string;
  kind: 'CART' | 'BROWSE';
  productIds: string[];
  at: string;
};
export type OrderPlacedEvent = {
  eventId: string;
  orderId: string;
  storefrontId: string;
  customerId: string;
  productIds: string[];
  /** What the order charged at once, after discounts (decimal string), and its currency. */
  dueNow: string;
  /**
   * What the order charges every month after discounts, tax included like `dueNow` (decimal string);
   * absent from events published before recurring revenue was counted (read as none).
   */
  monthly?: string;
  currencyCode: string;
  promotionIds: string[];
  at: string;
};

/** Ticket events (the ticket subgraph publishes them through its outbox): promotion's real-time rules, surveys after resolution. */
export const TICKET_EVENTS = {
  resolved: 'dcrm.ticket.resolved',
  escalated: 'dcrm.ticket.escalated',
} as const;

/** A ticket moved to RESOLVED; `eventId` is the outbox row's id. */
export type TicketResolvedEvent = {
  eventId: string;
  ticketId: string;
  storefrontId: string;
  customerId: string;
  category: string;
  priority: string;
  at: string;
};

/** A lead was captured (the opportunity subgraph publishes it after the commit, through its outbox). */
export type LeadCapturedEvent = {
  eventId: string;
  leadId: string;
  storefrontId: string;
  channel: string;
  campaignId: string | null;
  customerId: string | null;
  partnerId: string | null;
  productIds: string[];
  at: string;
};

/** A lead was qualified into an opportunity, or an opportunity reached WON or LOST (the opportunity subgraph, through its outbox). */
export type SalesPipelineEvent = {
  eventId: string;
  storefrontId: string;
  opportunityId: string;
  leadId: string | null;
  customerId: string | null;
  segment: string;
  stage: string;
  reasonCode: string | null;
  at: string;
};

/** A ticket's SLA clock reached an escalation level (1: warning at 80% of the resolution target, 2: breach, 3+: further up). */
export type TicketEscalatedEvent = {
  eventId: string;
  ticketId: string;
  storefrontId: string;
  customerId: string;
  level: number;
  reason: 'WARNING' | 'BREACH' | 'ESCALATED';
  /** The manager it was escalated to (null: the assignee has no manager, or there is no assignee). */
  escalatedToStaffId: string | null;
  priority: string;
  at: string;
};

/** A quote revision accepted (quote publishes it through its outbox): its order and contract, who accepted, the agreed totals. */
export type QuoteAcceptedEvent = {
  eventId: string;
  quoteId: string;
  quoteNumber: string;
  revision: number;
  storefrontId: string;
  customerId: string;
  orderId: string;
  contractId: string | null;
  acceptedBy: { kind: string; id: string };
  dueNow: string;
  monthly: string;
  currencyCode: string;
  at: string;
};
