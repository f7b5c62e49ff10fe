import { answerError, type Peers, SERVICE_SCOPES, servicePrincipal, type UserError } from '@dcrm/kit';

// Calls to the cart subgraph as this subgraph, for one storefront: a won sale becomes an order.

export type SaleOrderRequest = {
  customerId: string;
  lines: { productId: string; quantity: number }[];
  source: { kind: 'OPPORTUNITY' | 'QUOTE'; id: string };
  idempotencyKey: string;
  actedBy: string;
};

const PLACE = `mutation PlaceForSale($input: OrderPlaceForSaleInput!) {
  orderPlaceForSale(input: $input) { order { id } userErrors { code message field } } }`;

/** The order's id, or the cart's reasons for refusing (nothing placed); throws when the cart cannot be asked. */
export async function placeSaleOrder(
  peers: Peers,
  storefrontId: string,
  request: SaleOrderRequest,
): Promise<{ orderId: string } | { refused: UserError[] }> {
  const target = peers('cart');
  const response = await target.execute(
    { query: PLACE, variables: { input: request } },
    servicePrincipal('opportunity', storefrontId, [SERVICE_SCOPES.orderPlaceForSale]),
  );
  if (response.errors?.length) throw answerError(target.name, response.errors);
  const payload = response.data?.orderPlaceForSale as { order: { id: string } | null; userErrors: UserError[] } | undefined;
  if (payload?.order) return { orderId: payload.order.id };
  return { refused: payload?.userErrors ?? [] };
}
