import type { Principal, SubgraphTarget } from '@dcrm/kit';

/** What the checkout keeps on an order of the buyer's account. */
export type Account = { segment: string; partner: { id: string } | null };

/** The caller's own account, asked of the customer subgraph as the customer; null when they have none. */
export async function accountOf(customer: SubgraphTarget, principal: Principal): Promise<Account | null> {
  const response = await customer.execute({ query: 'query Me { me { segment partner { id } } }' }, principal);
  return (response?.data?.me as Account | undefined) ?? null;
}

/** A customer's channel consents and notification preferences, as the reminders need them. */
export type Preferences = {
  consents: { channel: string; granted: boolean }[];
  notificationPreferences: { type: string; channels: string[] }[];
};

const PREFERENCES = `query Prefs($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer {
  consents { channel granted } notificationPreferences { type channels } } } }`;
const SEND = `mutation Send($input: SiteMessageSendInput!) { siteMessageSend(input: $input) { userErrors { code } } }`;
const LOG = `mutation Log($input: InteractionLogInput!) { interactionLog(input: $input) { userErrors { code } } }`;

/** Preferences of one customer (null: no such customer), or the reason they could not be read. */
export async function preferencesOf(
  customer: SubgraphTarget,
  service: Principal,
  customerId: string,
): Promise<{ preferences: Preferences | null } | { unreadable: string }> {
  const response = await customer
    .execute({ query: PREFERENCES, variables: { reps: [{ __typename: 'Customer', id: customerId }] } }, service)
    .catch((error: Error) => ({ errors: [{ message: error.message }], data: undefined }));
  if (response.errors?.length) return { unreadable: response.errors[0].message };
  return { preferences: (response.data?._entities as (Preferences | null)[] | undefined)?.[0] ?? null };
}

/** A message in the customer's inbox (the site channel). */
export async function sendSiteMessage(customer: SubgraphTarget, service: Principal, customerId: string, title: string, body: string) {
  await customer.execute({ query: SEND, variables: { input: { customerId, title, body } } }, service);
}

/** An outbound call logged on the account, as the staff member (so the customer subgraph applies its segment rules). */
export async function logOutboundCall(customer: SubgraphTarget, principal: Principal, customerId: string, notes: string) {
  await customer.execute({ query: LOG, variables: { input: { customerId, channel: 'PHONE', direction: 'OUTBOUND', notes } } }, principal);
}
