import type { Clock, EventBus, Peers } from '@dcrm/kit';

/** Process-wide dependencies of the opportunity subgraph's resolvers and jobs. */
export type OpportunityServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
};
