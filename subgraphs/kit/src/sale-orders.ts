import type { UserError } from './errors.js';
import { SERVICE_SCOPES, type ServiceScope, servicePrincipal } from './principal.js';
import type { Peers } from './subgraph.js';
import { answerError } from './targets.js';

/**
 * Prices a sale agreed before it is ordered (an accepted quote): unit prices tax-exclusive, discounts
 * for the whole line (line, quote and promotion discounts together), decimal strings. The cart honours
 * them only for a caller holding `order:agreed-prices`; tax stays the catalog's and the storefront's.
 */
export type SaleAgreedPrice = {
  recurring?: string | null;
  oneOff?: string | null;
  deposit?: string | null;
  discountOneOff: string;
  discountRecurring: string;
};

/** What a won opportunity or an accepted quote asks the cart to order (cart `orderPlaceForSale`). */
export type SaleOrderRequest = {
  customerId: string;
  lines: { productId: string; quantity: number; parentIndex?: number | null; agreed?: SaleAgreedPrice | null }[];
  source: { kind: 'OPPORTUNITY' | 'QUOTE'; id: string };
  idempotencyKey: string;
  actedBy: string;
};

const PLACE = `mutation PlaceForSale($input: OrderPlaceForSaleInput!) {
  orderPlaceForSale(input: $input) { order { id } userErrors { code message field } } }`;

/** The cart's refusal codes a sale's subgraph relays as they are; any other reads REFUSED, a reused key CONFLICT. */
export type SaleRefusalCode = 'NOT_FOUND' | 'UNAVAILABLE' | 'INCOMPATIBLE' | 'INVALID' | 'FORBIDDEN' | 'CONFLICT' | 'EMPTY' | 'REFUSED';
const RELAYED: ReadonlySet<string> = new Set(['NOT_FOUND', 'UNAVAILABLE', 'INCOMPATIBLE', 'INVALID', 'FORBIDDEN', 'CONFLICT', 'EMPTY']);

/** One of the cart's refusals as the calling family's user error on `field` (its codes name `SaleRefusalCode`). */
export const relaySaleRefusal = (refusal: UserError, field: string[]): UserError<SaleRefusalCode> => ({
  code: RELAYED.has(refusal.code) ? (refusal.code as SaleRefusalCode) : refusal.code === 'IDEMPOTENCY_KEY_REUSED' ? 'CONFLICT' : 'REFUSED',
  message: refusal.message,
  field,
});

/**
 * Places a sale's order through the cart, as the calling subgraph's service principal for one brand
 * (scope `order:place-for-sale`, plus `order:agreed-prices` when lines carry agreed prices). The cart
 * is idempotent by key, so a retry after a crash gets the same order. Returns the order's id or the
 * cart's reasons for refusing (nothing placed); throws when the cart cannot be asked.
 */
export async function placeSaleOrder(
  peers: Peers,
  caller: string,
  storefrontId: string,
  request: SaleOrderRequest,
): Promise<{ orderId: string } | { refused: UserError[] }> {
  const target = peers('cart');
  const scopes: ServiceScope[] = [SERVICE_SCOPES.orderPlaceForSale];
  if (request.lines.some((l) => l.agreed)) scopes.push(SERVICE_SCOPES.orderAgreedPrices);
  const response = await target.execute({ query: PLACE, variables: { input: request } }, servicePrincipal(caller, storefrontId, scopes));
  if (response.errors?.length) throw answerError(target.name, response.errors);
  const payload = response.data?.orderPlaceForSale as { order: { id: string } | null; userErrors: UserError[] } | undefined;
  if (payload?.order) return { orderId: payload.order.id };
  return { refused: payload?.userErrors ?? [] };
}
