import { type DirectoryCaller, loggerFor, notifyStaff, type StaffNotification } from '@dcrm/kit';
import type { OpportunityServices } from '../services.js';

/** The staff directory as this subgraph, for one brand (kit staff-directory.ts: never inside a transaction). */
export const directoryFor = (services: OpportunityServices, storefrontId: string): DirectoryCaller => ({
  customer: services.peers('customer'),
  source: 'opportunity',
  storefrontId,
});

/** A link to the opportunity in the back office (`DCRM_BACKOFFICE_URL`), or null when none is configured. */
export const opportunityUrl = (id: string): string | null =>
  process.env.DCRM_BACKOFFICE_URL ? `${process.env.DCRM_BACKOFFICE_URL.replace(/\/$/, '')}/opportunities/${id}` : null;

/** Sends after commit; a failure is logged, never undoes the committed change (the dedupe key makes a retry safe). */
export async function notifyAfterCommit(
  services: OpportunityServices,
  storefrontId: string,
  messages: StaffNotification[],
): Promise<boolean> {
  try {
    await notifyStaff(directoryFor(services, storefrontId), messages);
    return true;
  } catch (error) {
    loggerFor('opportunity').warn({ err: error }, 'staff notification failed');
    return false;
  }
}
