import type { Clock, EventBus, Peers } from '@dcrm/kit';
import type { CaptureLimits } from './capture-limits.js';

/** Process-wide dependencies of the opportunity subgraph's resolvers and jobs. */
export type OpportunityServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
  /** Rate limits of anonymous lead capture. */
  captureLimits: CaptureLimits;
};
