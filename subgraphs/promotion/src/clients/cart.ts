import { answerError, type Peers, type Principal } from '@dcrm/kit';

// Calls to the cart subgraph, which owns orders.

const HOLDING =
  'query Holding($customerIds: [ID!]!, $productIds: [ID!]!) { customersHolding(customerIds: $customerIds, productIds: $productIds) }';

/** Which of these accounts have a non-cancelled order of any of these products. */
export async function customersHolding(
  peers: Peers,
  principal: Principal,
  customerIds: string[],
  productIds: string[],
): Promise<Set<string>> {
  const held = await peers('cart').execute({ query: HOLDING, variables: { customerIds, productIds } }, principal);
  if (held.errors?.length) throw answerError('cart', held.errors);
  return new Set((held.data?.customersHolding ?? []) as string[]);
}
