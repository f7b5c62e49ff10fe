import type { EventBus, SignInGuard } from '@dcrm/kit';

/** Process-wide dependencies of the customer subgraph's use cases. */
export type CustomerServices = {
  bus: EventBus;
  /** Failed sign-in counting and delays, per (identity, address) and per address. */
  signInGuard: SignInGuard;
  jwtSecret: Uint8Array;
  /** Staff passwords older than this must be changed before signing in. */
  staffPasswordMaxAgeDays: number;
};

/** Bus channels routers listen on to forget credentials at once instead of when their cache expires. */
export const API_KEY_REVOKED = 'dcrm.apikey.revoked';
/** A key's settings changed (cost budget): routers drop their cached grant; its sockets stay open. */
export const API_KEY_CHANGED = 'dcrm.apikey.changed';
export const SESSION_REVOKED = 'dcrm.session.revoked';
