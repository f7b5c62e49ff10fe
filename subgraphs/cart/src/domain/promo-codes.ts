import { fail, ok } from '@dcrm/kit';
import { CartLine, type ICart } from '../entities/index.js';
import type { Result } from './cart.errors.js';
import { type CartRef, type EditContext, openCart, save } from './cart-edit.js';
import { askPeer } from './peer-guard.js';
import { priceLines } from './pricing.js';
import { type BuyerLookup, codeRefused, evaluationInput, isCode, MAX_PROMO_CODES, normalizeCode } from './promotions.js';
import type { CartServices } from './services.js';

export type PromoContext = EditContext & { services: CartServices; buyer: BuyerLookup };

const codeField = ['input', 'code'];

/**
 * Adds a promo code when it applies to the cart as it is now (the promotion subgraph decides);
 * otherwise a userError whose code says why (EXPIRED, NOT_STARTED, EXHAUSTED, CUSTOMER_LIMIT,
 * INELIGIBLE, NOT_COMBINABLE, UNKNOWN_CODE, COUPON_REQUIRES_SIGN_IN) and the cart is left as it was.
 * A code already on the cart is accepted again without a change.
 */
export async function cartPromoCodeApply(ctx: PromoContext, ref: CartRef, rawCode: string): Promise<Result<ICart>> {
  const code = normalizeCode(rawCode);
  if (!isCode(code)) return fail('INVALID', 'Up to 64 letters, digits, hyphens or underscores', codeField);
  const found = await openCart(ctx, ref);
  if (!found.ok) return found;
  const cart = found.value;
  if (cart.promoCodes.includes(code)) return ok(cart);
  if (cart.promoCodes.length >= MAX_PROMO_CODES) return fail('TOO_MANY', `At most ${MAX_PROMO_CODES} codes per cart`, codeField);
  const lines = await ctx.em.find(CartLine, { cart: cart.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const [products, about] = await Promise.all([
    Promise.all(lines.map((l) => ctx.catalog.load(l.productId))),
    ctx.buyer(cart.customerId ?? null),
  ]);
  const couponCodes = [...cart.promoCodes, code];
  const input = evaluationInput(cart, priceLines(lines, products), { ...about, couponCodes });
  const asked = await askPeer('promotion', codeField, () => ctx.services.promotions.evaluate(cart.storefrontId, input));
  if (!asked.ok) return asked;
  const problem = asked.value.codeProblems.find((p) => normalizeCode(p.code) === code)?.problem ?? null;
  if (problem) return codeRefused(code, problem);
  return save(ctx, cart, () => {
    cart.promoCodes = couponCodes;
  });
}

export async function cartPromoCodeRemove(ctx: PromoContext, ref: CartRef, rawCode: string): Promise<Result<ICart>> {
  const code = normalizeCode(rawCode);
  const found = await openCart(ctx, ref);
  if (!found.ok) return found;
  const cart = found.value;
  if (!cart.promoCodes.includes(code)) return fail('NOT_FOUND', 'This code is not on the cart', codeField);
  return save(ctx, cart, () => {
    cart.promoCodes = cart.promoCodes.filter((c) => c !== code);
  });
}
