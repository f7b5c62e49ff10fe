import type { EventBus, SignInGuard } from '@dcrm/kit';
import type { BulkDeps } from './bulk/operations.js';

/** Process-wide dependencies of the customer subgraph's use cases. */
export type CustomerServices = {
  bus: EventBus;
  /** Failed sign-in counting and delays, per (identity, address) and per address. */
  signInGuard: SignInGuard;
  jwtSecret: Uint8Array;
  /** Staff passwords older than this must be changed before signing in. */
  staffPasswordMaxAgeDays: number;
  /** Bulk actions (here and in other modules) and the bus their progress goes out on. */
  bulk: BulkDeps;
};
