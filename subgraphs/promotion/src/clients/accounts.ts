import { answerError, entitiesOf, type Peers, type Principal } from '@dcrm/kit';

// Calls to the customer subgraph, which owns accounts: what promotion reads of them and the notifications it sends.

/** What an offer copies from the account (name for templates; segment and partner for staff and partner access). */
export type Account = { id: string; name: string; segment: string; partner: { id: string } | null };

/**
 * An account as the given principal may see it (staff: their segments; the promotion subgraph's own
 * service principal for event-driven offers). Null when not visible.
 */
export async function accountOf(peers: Peers, principal: Principal, customerId: string): Promise<Account | null> {
  const [account] = await entitiesOf<Account>(peers('customer'), principal, 'Customer', 'id name segment partner { id }', [customerId]);
  return account;
}

/** What promotion conditions read of an account: segment, category and its addresses (the default one first). */
export type Profile = { id: string; segment: string; category: string; addresses: { city: string; country: string }[] };

/** Profiles of these accounts, in one `_entities` call (null where `principal` may not see one). */
export const profilesOf = (peers: Peers, principal: Principal, ids: string[]): Promise<(Profile | null)[]> =>
  entitiesOf<Profile>(peers('customer'), principal, 'Customer', 'id segment category addresses { city country }', ids);

export type AudienceMember = {
  id: string;
  name: string;
  segment: string;
  partnerId: string | null;
};

/** A campaign's audience rules as the customer subgraph filters them (products held are the cart's business). */
export type AudienceFilter = Record<string, string[]>;

const AUDIENCE = `query Audience($rules: AudienceFilterInput!, $after: ID, $first: Int) {
  customerAudience(rules: $rules, after: $after, first: $first) { id name segment partnerId } }`;

/** One keyset page (by id, after `after`) of the storefront's active accounts matching `rules`. */
export async function audienceOf(
  peers: Peers,
  principal: Principal,
  rules: AudienceFilter,
  after: string | null,
  first: number,
): Promise<AudienceMember[]> {
  const response = await peers('customer').execute({ query: AUDIENCE, variables: { rules, after, first } }, principal);
  if (response.errors?.length) throw answerError('customer', response.errors);
  return (response.data?.customerAudience ?? []) as AudienceMember[];
}

const RANGES = `query AudienceRanges($rules: AudienceFilterInput!, $after: ID, $size: Int) {
  customerAudienceRanges(rules: $rules, after: $after, size: $size) }`;

/** The audience after `after` cut into consecutive id ranges of about `size` accounts: the last id of each (see the customer SDL). */
export async function audienceRangesOf(
  peers: Peers,
  principal: Principal,
  rules: AudienceFilter,
  after: string | null,
  size: number,
): Promise<string[]> {
  const response = await peers('customer').execute({ query: RANGES, variables: { rules, after, size } }, principal);
  if (response.errors?.length) throw answerError('customer', response.errors);
  return (response.data?.customerAudienceRanges ?? []) as string[];
}

// Only the errors: a chunk's thousands of per-message outcomes are not read (the customer subgraph skips what it has sent).
const SEND = `mutation Send($input: NotificationSendInput!) { notificationSend(input: $input) { userErrors { code message } } }`;

/**
 * Notifications to many customers from one template (`NotificationSendInput.batch`): the shared fields
 * once, per customer its id, dedupe key and the values of `variableNames` in order, so the customer
 * subgraph coerces and hashes a fraction of what one message per customer would cost. Keys in
 * alphabetical order: the request's signature digest then serialises thousands of them without copying any.
 */
export type NotificationBatch = {
  channels: string[];
  marketing: boolean;
  preferenceType: string;
  /** A recipient's own `channels` replace the batch's. */
  recipients: { channels?: string[]; customerId: string; dedupeKey: string; values: (string | null)[] }[];
  templateKey: string;
  variableNames: string[];
};

/** Sends a batch (the customer subgraph skips a `dedupeKey` it has seen); throws on any error, so a job retries. */
export async function sendNotificationBatch(peers: Peers, principal: Principal, batch: NotificationBatch): Promise<void> {
  const response = await peers('customer').execute({ query: SEND, variables: { input: { batch, messages: [] } } }, principal);
  const userErrors = (response.data?.notificationSend?.userErrors ?? []) as { message: string }[];
  const errors = [...(response.errors ?? []), ...userErrors];
  if (errors.length) throw new Error(`customer: ${errors[0].message}`);
}
