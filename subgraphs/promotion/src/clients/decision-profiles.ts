import { entitiesOf, type Peers, type Principal } from '@dcrm/kit';

// The customer subgraph, for decisioning: who an external event is about, and what channels they consented to.

export type DecisionAccount = {
  id: string;
  name: string;
  segment: string;
  partner: { id: string } | null;
  consents: { channel: string; granted: boolean }[];
  notificationPreferences: { type: string; channels: string[] }[];
};

const FIELDS = 'id name segment partner { id } consents { channel granted } notificationPreferences { type channels }';

/** Accounts by id as `principal` (the promotion service of the event's brand) may see them; null where not. */
export const accountsById = (peers: Peers, principal: Principal, ids: string[]): Promise<(DecisionAccount | null)[]> =>
  entitiesOf<DecisionAccount>(peers('customer'), principal, 'Customer', FIELDS, ids);

const BY_IDENTITIES = `query ($emails: [String!]!, $mobiles: [String!]!) { _customersByIdentity(emails: $emails, mobiles: $mobiles) { ${FIELDS} email mobile } }`;

/** Identities per `_customersByIdentity` call (the customer subgraph's limit, of each). */
export const IDENTITY_BATCH = 250;

/**
 * The accounts in the principal's brand with any of these (normalised) emails or E.164 mobiles: one
 * call for up to IDENTITY_BATCH of each, so a batch of stream events costs one round trip, not one per subscriber.
 */
export async function accountsByIdentities(
  peers: Peers,
  principal: Principal,
  identities: { emails: string[]; mobiles: string[] },
): Promise<(DecisionAccount & { email: string; mobile: string | null })[]> {
  if (!identities.emails.length && !identities.mobiles.length) return [];
  const response = await peers('customer').execute({ query: BY_IDENTITIES, variables: identities }, principal);
  if (response.errors?.length) throw new Error(`customer: ${response.errors[0].message}`);
  return (response.data?._customersByIdentity ?? []) as (DecisionAccount & { email: string; mobile: string | null })[];
}
