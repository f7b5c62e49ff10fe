import type { Clock, EventBus, Peers } from '@dcrm/kit';

/** Process-wide dependencies of the quote subgraph's resolvers. */
export type QuoteServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
};
