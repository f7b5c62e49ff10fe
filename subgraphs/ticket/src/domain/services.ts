import type { Clock, EventBus, JobDb, Peers } from '@dcrm/kit';

/** Process-wide dependencies of the ticket subgraph's resolvers and jobs. */
export type TicketServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
  /** Queues a job inside the caller's transaction (graphile-worker `add_job`). */
  addJob: (db: JobDb, task: string, payload: unknown, options?: { runAt?: Date; jobKey?: string }) => Promise<void>;
};
