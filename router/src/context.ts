import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { PublicOfferFields } from '@dcrm/kit/events.js';
import type { Principal } from '@dcrm/kit/principal.js';
import type { SubgraphTarget } from '@dcrm/kit/targets.js';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { CostClient } from './cost/client.js';
import type { Charge } from './cost/plugin.js';
import type { LookupCache } from './subscriptions/lookup-cache.js';

/**
 * The context of every operation the router runs. `warmUp`: planning only (see warm-up.ts) — no fetch
 * reaches a subgraph. `cost`: the bucket an HTTP request spends from (the router's own operations have
 * none and are not charged). `passed`: an HTTP request's, where the single-fetch passthrough (passthrough.ts)
 * leaves the `data` text a subgraph answered with, for the endpoint to send as is (Apollo runs the
 * operation on a copy of the context object: this one is shared). `eventOffer`: a live event's public
 * offer, which answers the lookup's `offer(id:)` fetch from promotion (subscriptions/event-offer.ts);
 * `kept`: that lookup's view (shared by pricing context) and the catalog content its fetches may be
 * answered from (subscriptions/lookup-cache.ts).
 */
export type RouterContext = {
  principal: Principal;
  warmUp?: boolean;
  cost?: CostClient;
  passed?: Passed;
  eventOffer?: PublicOfferFields;
  kept?: { viewKey: string; cache: LookupCache };
};

/**
 * See `RouterContext.passed`. `answer`: a passed-through operation's answer that had errors, parsed once,
 * or the failure of a mutation's (never sent twice); the gateway then runs the operation on it instead of
 * fetching it again (data-source.ts). `operation`: the
 * query, when its plan is one plain fetch (passthrough.ts), for the fast path to remember once it is
 * answered with data (fast-path.ts). Set by the fast path when it hands a request on to Apollo after
 * charging it (`charged`: spent or refused; the cost plugin reports that charge, or throws its
 * THROTTLED, and takes nothing more) and sending it (`sent`: the passthrough leaves it to the gateway,
 * with `answer` when the subgraph answered with errors, so the subgraph is asked as often as before).
 */
export type Passed = {
  data?: string;
  answer?: { service: string; response: GatewayGraphQLResponse } | { service: string; failed: Error };
  operation?: PassedOperation;
  charged?: Charge;
  sent?: true;
};

/** A query Apollo parsed and validated against `schema` (the caller's view), planned on `supergraph` as one plain fetch from `target`. */
export type PassedOperation = {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  target: SubgraphTarget;
  /** The gateway's API schema the plan was made on: a new supergraph makes it stale. */
  supergraph: GraphQLSchema;
};
