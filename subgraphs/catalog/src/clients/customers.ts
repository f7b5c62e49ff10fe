import { entitiesOf, type Peers, type Principal } from '@dcrm/kit';

/**
 * Whether the customer subgraph shows this account to the caller within `storefrontId`: asked as the
 * caller, so catalog never learns of an account the caller could not see.
 */
export async function customerVisible(peers: Peers, principal: Principal, storefrontId: string, customerId: string): Promise<boolean> {
  const [found] = await entitiesOf(peers('customer'), { ...principal, storefrontId }, 'Customer', 'id', [customerId]);
  return found !== null;
}
