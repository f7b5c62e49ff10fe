import type { EventBus, SignInGuard } from '@dcrm/kit';
import type { SsoGroupMap } from './sso-groups.js';

/** Process-wide dependencies of the customer subgraph's use cases. */
export type CustomerServices = {
  bus: EventBus;
  /** Failed sign-in counting and delays, per (identity, address) and per address. */
  signInGuard: SignInGuard;
  jwtSecret: Uint8Array;
  /** Staff passwords older than this must be changed before signing in. */
  staffPasswordMaxAgeDays: number;
  /** Provider groups → access groups for staff single sign-on (`DCRM_SSO_GROUP_MAP`). */
  ssoGroupMap: SsoGroupMap;
};
