import type { AddJobOptions, Clock, EventBus, JobDb, Peers } from '@dcrm/kit';

/** Process-wide dependencies of the quote subgraph's resolvers. */
export type QuoteServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
  /** Queues a job inside the caller's transaction (graphile-worker `add_job`): contract renewals. */
  addJob: (db: JobDb, task: string, payload: unknown, options?: AddJobOptions) => Promise<void>;
};
