import { answerError, entitiesOf, type Peers, SERVICE_SCOPES, servicePrincipal } from '@dcrm/kit';

// Calls to the customer subgraph as this subgraph, for one storefront: which existing account a lead is.

export type Account = { id: string; segment: string; partnerId: string | null };
type AccountRow = { id: string; segment: string; partner: { id: string } | null };

const account = (row: AccountRow | null): Account | null =>
  row ? { id: row.id, segment: row.segment, partnerId: row.partner?.id ?? null } : null;

const BY_IDENTITY = `query LeadMatch($email: String, $mobile: String) {
  customerByIdentity(email: $email, mobile: $mobile) { id segment partner { id } } }`;

/** The storefront's account with this (normalised) email or E.164 mobile, or null. */
export async function accountByIdentity(
  peers: Peers,
  storefrontId: string,
  identity: { email: string } | { mobile: string },
): Promise<Account | null> {
  const target = peers('customer');
  const response = await target.execute(
    { query: BY_IDENTITY, variables: identity },
    servicePrincipal('opportunity', storefrontId, [SERVICE_SCOPES.customerLookup]),
  );
  const errors = response.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'NOT_FOUND')) return null;
  if (errors.length) throw answerError(target.name, errors);
  return account((response.data?.customerByIdentity as AccountRow | null) ?? null);
}

/** An account of the storefront by id (a signed-in customer's own), or null. */
export async function accountById(peers: Peers, storefrontId: string, id: string): Promise<Account | null> {
  const [row] = await entitiesOf<AccountRow>(
    peers('customer'),
    servicePrincipal('opportunity', storefrontId, []),
    'Customer',
    'id segment partner { id }',
    [id],
  );
  return account(row);
}
