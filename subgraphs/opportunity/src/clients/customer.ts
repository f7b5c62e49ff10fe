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

export type IdentifiedAccount = Account & { email: string; mobile: string | null };

const BY_IDENTITIES = `query LeadImportMatch($emails: [String!]!, $mobiles: [String!]!) {
  _customersByIdentity(emails: $emails, mobiles: $mobiles) { id email mobile segment partner { id } } }`;

/** The storefront's accounts with any of these (normalised) emails or E.164 mobiles: one call for a bulk validation call's rows (≤ 250 of each). */
export async function accountsByIdentities(
  peers: Peers,
  storefrontId: string,
  identities: { emails: string[]; mobiles: string[] },
): Promise<IdentifiedAccount[]> {
  if (!identities.emails.length && !identities.mobiles.length) return [];
  const target = peers('customer');
  const response = await target.execute(
    { query: BY_IDENTITIES, variables: identities },
    servicePrincipal('opportunity', storefrontId, [SERVICE_SCOPES.customerLookup]),
  );
  if (response.errors?.length) throw answerError(target.name, response.errors);
  const rows = (response.data?._customersByIdentity ?? []) as (AccountRow & { email: string; mobile: string | null })[];
  return rows.map((r) => ({ ...(account(r) as Account), email: r.email, mobile: r.mobile }));
}
