import { entitiesOf, type Peers, type Principal } from '@dcrm/kit';

// Calls to the customer subgraph, which owns accounts, always as the caller (its segment and partner rules apply).

/** What an opportunity copies from its account: segment and partner for access, the name for defaults. */
export type Account = { id: string; name: string; segment: string; partner: { id: string } | null };

/** The account as `principal` may see it; null when it does not exist or is not theirs to see. */
export async function accountOf(peers: Peers, principal: Principal, customerId: string): Promise<Account | null> {
  const [account] = await entitiesOf<Account>(peers('customer'), principal, 'Customer', 'id name segment partner { id }', [customerId]);
  return account;
}
