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

const BY_IDENTITY = `query ($mobile: String, $email: String) { customerByIdentity(mobile: $mobile, email: $email) { ${FIELDS} } }`;

/** The account with this mobile (E.164) or email in the principal's brand; null when none (NOT_FOUND). */
export async function accountByIdentity(
  peers: Peers,
  principal: Principal,
  identity: { mobile: string } | { email: string },
): Promise<DecisionAccount | null> {
  const response = await peers('customer').execute({ query: BY_IDENTITY, variables: identity }, principal);
  const code = response.errors?.[0]?.extensions?.code;
  if (code === 'NOT_FOUND' || code === 'BAD_USER_INPUT') return null;
  if (response.errors?.length) throw new Error(`customer: ${response.errors[0].message}`);
  return (response.data?.customerByIdentity as DecisionAccount | null) ?? null;
}
