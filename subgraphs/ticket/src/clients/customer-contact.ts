import { entitiesOf, type Peers, servicePrincipal } from '@dcrm/kit';

/** An account's registered email and mobile (E.164), to check who an email or SMS reply came from. */
export type AccountContact = { id: string; email: string; mobile: string | null };

/**
 * The account's contact details, asked as the ticket subgraph's service principal for the brand (the
 * sender of an inbound reply is nobody dcrm knows yet). Null when there is no such account of the brand.
 * Never call inside a transaction.
 */
export async function accountContact(peers: Peers, storefrontId: string, customerId: string): Promise<AccountContact | null> {
  const asker = servicePrincipal('ticket', storefrontId, []);
  const [account] = await entitiesOf<AccountContact>(peers('customer'), asker, 'Customer', 'id email mobile', [customerId]);
  return account;
}
