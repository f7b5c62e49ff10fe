import type { Clock, EventBus, JobDb, JobSpec, Peers } from '@dcrm/kit';
import type { KeptProducts } from '../clients/catalog.js';
import type { Decisioning } from './decisioning/decide.js';

/** Process-wide dependencies of the promotion subgraph's resolvers and jobs. */
export type PromotionServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
  /** Queues a job inside the caller's transaction (graphile-worker `add_job`). */
  addJob: (db: JobDb, task: string, payload: unknown, options?: { runAt?: Date; jobKey?: string }) => Promise<void>;
  /** Queues many jobs in one statement inside the caller's transaction (graphile-worker `add_jobs`). */
  addJobs: (db: JobDb, specs: JobSpec[]) => Promise<void>;
  /** Products as the catalog showed them, until it changes (clients/catalog.ts). */
  products?: KeptProducts;
  /** Real-time event decisioning (set when the subgraph is created). */
  decisioning?: Decisioning;
};
