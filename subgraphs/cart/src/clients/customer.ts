import { entitiesOf, type Principal, type SubgraphTarget, servicePrincipal } from '@dcrm/kit';

/** What the checkout keeps on an order of the buyer's account. */
export type Account = { segment: string; partner: { id: string } | null };

/** A buyer's account as an order records it: also the accounts above it, nearest first (whose budgets its orders spend). */
export type BuyerAccount = Account & { ancestors: { id: string }[] };

/**
 * The buyer's account, asked of the customer subgraph as the cart service of the brand (a sub-account
 * may not see the accounts above it): one call gives the segment, the partner and the path up its tree.
 * Null when the brand has no such account.
 */
export async function buyerAccountOf(customer: SubgraphTarget, storefrontId: string, customerId: string): Promise<BuyerAccount | null> {
  const service = servicePrincipal('cart', storefrontId, []);
  const [row] = await entitiesOf<BuyerAccount>(customer, service, 'Customer', 'segment partner { id } ancestors { id }', [customerId]);
  return row ?? null;
}

const SEND = `mutation Send($input: NotificationSendInput!) { notificationSend(input: $input) {
  results { customerId outcome channels } userErrors { code message } } }`;
const LOG = `mutation Log($input: InteractionLogInput!) { interactionLog(input: $input) { userErrors { code } } }`;

/** A notification by template key, as the customer subgraph's send service takes it. */
export type Notification = {
  customerId: string;
  templateKey: string;
  variables: { name: string; value: string | null }[];
  preferenceType: string;
  marketing: boolean;
  dedupeKey: string;
};

/** What the send service did: SENT (on `channels`), OPTED_OUT, SKIPPED, DUPLICATE or FAILED. */
export type Sent = { outcome: string; channels: string[] };

/** Sends one notification through the customer subgraph, or says why it could not be asked (nothing sent). */
export async function sendNotification(
  customer: SubgraphTarget,
  service: Principal,
  message: Notification,
): Promise<{ sent: Sent } | { unreachable: string }> {
  const response = await customer
    .execute({ query: SEND, variables: { input: { messages: [message] } } }, service)
    .catch((error: Error) => ({ errors: [{ message: error.message }], data: undefined }));
  const payload = response.data?.notificationSend as { results: Sent[]; userErrors: { message: string }[] } | undefined;
  const problem = response.errors?.[0]?.message ?? payload?.userErrors[0]?.message;
  if (problem || !payload?.results[0]) return { unreachable: problem ?? 'no answer' };
  return { sent: payload.results[0] };
}

/** An outbound call logged on the account, as the staff member (so the customer subgraph applies its segment rules). */
export async function logOutboundCall(customer: SubgraphTarget, principal: Principal, customerId: string, notes: string) {
  await customer.execute({ query: LOG, variables: { input: { customerId, channel: 'PHONE', direction: 'OUTBOUND', notes } } }, principal);
}

/** An account as the caller sees it (the customer subgraph's row rules decide); null when it is not visible. */
export async function visibleAccount(customer: SubgraphTarget, principal: Principal, customerId: string): Promise<Account | null> {
  const [row] = await entitiesOf<Account>(customer, principal, 'Customer', 'segment partner { id }', [customerId]);
  return row ?? null;
}
