import { answerError, type Principal, type SubgraphTarget } from '@dcrm/kit';

/** What a quote copies from its account, for access by segment and partner. */
export type Account = { id: string; segment: string; partner: { id: string } | null };

const BY_ID = 'query QuoteAccount($id: ID!) { customer(id: $id) { id segment partner { id } } }';
const ME = 'query QuoteMe { me { id segment partner { id } } }';

/**
 * The account, asked of the customer subgraph as the caller, so its rules decide who reaches it (staff
 * by segment, partners their accounts, a customer their own); null when the caller may not.
 */
export async function accountFor(customer: SubgraphTarget, principal: Principal, id: string | null): Promise<Account | null> {
  const response = await customer.execute(id ? { query: BY_ID, variables: { id } } : { query: ME }, principal);
  const codes = (response.errors ?? []).map((e) => e.extensions?.code);
  if (codes.some((code) => code !== 'NOT_FOUND' && code !== 'FORBIDDEN')) throw answerError('customer', response.errors ?? []);
  return ((id ? response.data?.customer : response.data?.me) as Account | null | undefined) ?? null;
}
