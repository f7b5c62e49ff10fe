import type { AuditSources, EventBus, SignInGuard } from '@dcrm/kit';

/** Process-wide dependencies of the customer subgraph's use cases. */
export type CustomerServices = {
  bus: EventBus;
  /** Failed sign-in counting and delays, per (identity, address) and per address. */
  signInGuard: SignInGuard;
  jwtSecret: Uint8Array;
  /** Staff passwords older than this must be changed before signing in. */
  staffPasswordMaxAgeDays: number;
  /** Every subgraph's audit records, for the back office's trail. */
  audit: AuditSources;
};
