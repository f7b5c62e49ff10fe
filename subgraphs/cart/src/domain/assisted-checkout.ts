import {
  actingStorefront,
  fail,
  forAccount,
  isUuid,
  loggerFor,
  ok,
  type Principal,
  SERVICE_SCOPES,
  segmentsOf,
  servicePrincipal,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { catalogLoader } from '../clients/catalog.js';
import { type BuyerAccount, buyerAccountOf } from '../clients/customer.js';
import { Cart, type ICart, type IOrder, Order } from '../entities/index.js';
import type { Result } from './cart.errors.js';
import type { CartRef } from './cart-edit.js';
import { cartCheckout } from './checkout.js';
import { askPeer } from './peer-guard.js';
import type { CheckoutContext } from './purchaser.js';

/** Where an assisted sale happens, as the customer's interaction records it. */
export type AssistedChannel = 'PHONE' | 'STORE';

const cartField = ['input', 'cart', 'cartId'];
const LOG = `mutation Log($input: InteractionLogInput!) { interactionLog(input: $input) { userErrors { code message } } }`;

/** Staff act on accounts of their granted segments (`*`: all) in their acting brand. */
const inSegments = (principal: Principal, segment: string | null | undefined) => {
  const segments = segmentsOf(principal);
  return segments.includes('*') || (!!segment && segments.includes(segment));
};

/**
 * A customer's cart the staff member may check out: in their acting brand, owned by an account, of one
 * of their segments. Anything else is indistinguishable from a cart that does not exist.
 */
async function assistableCart(em: EntityManager, principal: Principal, cartId: string): Promise<ICart | null> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId || !isUuid(cartId)) return null;
  const cart = await em.findOne(Cart, { id: cartId, storefrontId });
  return cart?.customerId && inSegments(principal, cart.segment) ? cart : null;
}

/** The account as it is now (its segment may have changed since the cart was made), asked as the cart service of the brand. */
async function accountNow(ctx: CheckoutContext, storefrontId: string, customerId: string): Promise<Result<BuyerAccount>> {
  const asked = await askPeer('customer', cartField, () => buyerAccountOf(ctx.services.peers('customer'), storefrontId, customerId));
  if (!asked.ok) return asked;
  const account = asked.value;
  return account && inSegments(ctx.principal, account.segment) ? ok(account) : fail('NOT_FOUND', 'No such cart', cartField);
}

/**
 * Assisted sales: staff with `cart:assist` check out a customer's cart on the customer's behalf, as
 * the customer would — the catalog prices it as that account pays (its negotiated list and segment),
 * promotions see an AGENT sale and the customer's own history (first order…). The order is the
 * customer's; the audit trail records the staff member as its actor, and the customer's interactions
 * get an entry by them once the order is placed.
 */
export async function cartCheckoutAssisted(
  ctx: CheckoutContext,
  input: { cart: CartRef; idempotencyKey: string; channel?: AssistedChannel | null },
): Promise<Result<IOrder>> {
  const storefrontId = actingStorefront(ctx.principal);
  const cart = storefrontId ? await assistableCart(ctx.em, ctx.principal, input.cart.cartId) : null;
  if (!storefrontId || !cart?.customerId) return fail('NOT_FOUND', 'No such cart', cartField);
  const customerId = cart.customerId;
  const account = await accountNow(ctx, storefrontId, customerId);
  if (!account.ok) return account;
  // Prices as the account pays them, never the staff member's view of the catalog.
  const asAccount = forAccount(servicePrincipal('cart', storefrontId, [SERVICE_SCOPES.accountPricing]), {
    customerId,
    segment: account.value.segment,
  });
  const catalog = catalogLoader(ctx.services.peers('catalog'), asAccount);
  // A retry with the key of an order already placed answers that order and logs nothing again.
  const replayed = await ctx.em.count(Order, { storefrontId, idempotencyKey: input.idempotencyKey.trim() });
  const result = await cartCheckout({ ...ctx, catalog }, input.cart, input.idempotencyKey, {
    customerId,
    findCart: async () => cart,
    account: async () => account,
    assistedBy: ctx.principal.id as string,
  });
  if (result.ok && replayed === 0) await recordInteraction(ctx, customerId, result.value, input.channel ?? 'PHONE');
  return result;
}

/**
 * The sale on the customer's interactions, logged as the staff member (the customer subgraph applies
 * its own segment rules and names them). After the commit: a failure here never undoes the order,
 * whose audit record already names the staff member; it is logged for follow-up.
 */
async function recordInteraction(ctx: CheckoutContext, customerId: string, order: IOrder, channel: AssistedChannel): Promise<void> {
  const notes = `Assisted checkout: order ${order.number} placed on the customer's behalf (cart ${order.cartId})`;
  const input = { customerId, channel, direction: 'OUTBOUND', notes };
  try {
    const response = await ctx.services.peers('customer').execute({ query: LOG, variables: { input } }, ctx.principal);
    const problems = (response.data?.interactionLog as { userErrors: unknown[] } | undefined)?.userErrors ?? response.errors;
    if (!response.data?.interactionLog || problems?.length) throw new Error(JSON.stringify(problems ?? 'no answer'));
  } catch (error) {
    loggerFor('cart').error({ err: error, orderId: order.id }, 'assisted checkout: interaction not recorded');
  }
}
