import type { AuditSources, EventBus, HotProfiles, SignInGuard } from '@dcrm/kit';
import type { BulkDeps } from './bulk/operations.js';
import type { ChannelAdapters } from './notifications/adapters.js';
import type { SsoGroupMap } from './sso-groups.js';

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
  /** How email, SMS and push leave (the inbox is local): the outbox by default, SMTP for email with SMTP_URL. */
  notificationAdapters: ChannelAdapters;
  /** Bulk actions (here and in other modules) and the bus their progress goes out on. */
  bulk: BulkDeps;
  /** Provider groups → access groups for staff single sign-on (`DCRM_SSO_GROUP_MAP`). */
  ssoGroupMap: SsoGroupMap;
  /** The hot copy of decisioning profiles in Redis (with REDIS_URL), rewritten as profiles change. */
  hotProfiles: HotProfiles | null;
};
