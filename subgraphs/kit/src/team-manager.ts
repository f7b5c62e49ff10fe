import { SERVICE_SCOPES, servicePrincipal } from './principal.js';
import type { DirectoryCaller, StaffContact } from './staff-directory.js';
import { entitiesOf } from './targets.js';

/**
 * The manager of a team of the caller's brand (or a shared one), from the customer subgraph's
 * directory (`Team` by reference, as the calling module's service, scope `staff:directory`): who hears
 * of work queued to the team that nobody owns. Null when the team is unknown or has no manager.
 * Never call inside a transaction.
 */
export async function teamManager(caller: DirectoryCaller, teamId: string): Promise<StaffContact | null> {
  const principal = servicePrincipal(caller.source, caller.storefrontId, [SERVICE_SCOPES.staffDirectory]);
  const [team] = await entitiesOf<{ id: string; manager: StaffContact | null }>(
    caller.customer,
    principal,
    'Team',
    'id manager { id name email }',
    [teamId],
  );
  return team?.manager ?? null;
}
