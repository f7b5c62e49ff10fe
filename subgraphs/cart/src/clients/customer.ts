import type { Principal, SubgraphTarget } from '@dcrm/kit';

/** What the checkout keeps on an order of the buyer's account. */
export type Account = { segment: string; partner: { id: string } | null };

/** The caller's own account, asked of the customer subgraph as the customer; null when they have none. */
export async function accountOf(customer: SubgraphTarget, principal: Principal): Promise<Account | null> {
  const response = await customer.execute({ query: 'query Me { me { segment partner { id } } }' }, principal);
  return (response?.data?.me as Account | undefined) ?? null;
}
