import { answerError, type Peers, type Principal } from '@dcrm/kit';

// Calls to the cart subgraph, which owns orders.

const HOLDING =
  'query Holding($customerIds: [ID!]!, $productIds: [ID!]!) { customersHolding(customerIds: $customerIds, productIds: $productIds) }';

/** The cart subgraph answers at most this many accounts per call. */
export const HOLDING_PER_CALL = 1000;

/** Which of these accounts have a non-cancelled order of any of these products (one call per 1,000 accounts). */
export async function customersHolding(
  peers: Peers,
  principal: Principal,
  customerIds: string[],
  productIds: string[],
): Promise<Set<string>> {
  const holders = new Set<string>();
  for (let i = 0; i < customerIds.length; i += HOLDING_PER_CALL) {
    const variables = { customerIds: customerIds.slice(i, i + HOLDING_PER_CALL), productIds };
    const held = await peers('cart').execute({ query: HOLDING, variables }, principal);
    if (held.errors?.length) throw answerError('cart', held.errors);
    for (const id of (held.data?.customersHolding ?? []) as string[]) holders.add(id);
  }
  return holders;
}
