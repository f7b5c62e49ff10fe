import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { PublicOfferFields } from '@dcrm/kit/events.js';
import type { Principal } from '@dcrm/kit/principal.js';
import type { CostClient } from './cost/client.js';

/**
 * The context of every operation the router runs. `warmUp`: planning only (see warm-up.ts) — no fetch
 * reaches a subgraph. `cost`: the bucket an HTTP request spends from (the router's own operations have
 * none and are not charged). `passed`: an HTTP request's, where the single-fetch passthrough (passthrough.ts)
 * leaves the `data` text a subgraph answered with, for the endpoint to send as is (Apollo runs the
 * operation on a copy of the context object: this one is shared). `eventOffer`: a live event's public
 * offer, which answers the lookup's `offer(id:)` fetch from promotion (subscriptions/event-offer.ts).
 */
export type RouterContext = { principal: Principal; warmUp?: boolean; cost?: CostClient; passed?: Passed; eventOffer?: PublicOfferFields };

/**
 * See `RouterContext.passed`. `answer`: a passed-through query's answer that had errors, parsed once;
 * the gateway then runs the query on it instead of fetching it again (data-source.ts).
 */
export type Passed = { data?: string; answer?: { service: string; response: GatewayGraphQLResponse } };
