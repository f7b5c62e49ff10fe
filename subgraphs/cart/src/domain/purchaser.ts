import { actingStorefront, fail, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import type { CatalogProduct } from '../clients/catalog.js';
import { type BuyerAccount, buyerAccountOf } from '../clients/customer.js';
import type { ICart } from '../entities/index.js';
import { findCart } from './access.js';
import type { Result } from './cart.errors.js';
import type { CartRef } from './cart-edit.js';
import { askPeer } from './peer-guard.js';
import type { BuyerLookup } from './promotions.js';
import type { CartServices } from './services.js';

export type CheckoutContext = {
  em: EntityManager;
  principal: Principal;
  catalog: DataLoader<string, CatalogProduct | null>;
  services: CartServices;
  buyer: BuyerLookup;
};

/**
 * Who buys: the signed-in customer (`customerPurchaser`), or the account a staff member checks out for
 * in assisted sales (`assisted-checkout.ts`), each with how its cart and account are reached.
 */
export type Purchaser = {
  customerId: string;
  /** The cart, when this purchaser may check it out; null otherwise (NOT_FOUND). */
  findCart(ref: CartRef): Promise<ICart | null>;
  /** The account's segment, partner and the accounts above it, asked before any transaction. */
  account(): Promise<Result<BuyerAccount>>;
  /** Assisted sales: the staff member placing the order (the cart becomes an AGENT sale). */
  assistedBy?: string;
};

export const cartField = ['input', 'cart', 'cartId'];

/**
 * The buyer's account, asked of the customer subgraph as the cart service of the brand (before any
 * transaction): one call for its segment, partner and the accounts above it, whose budgets spend control
 * checks in the order's transaction. Unknown in the brand: NOT_FOUND.
 */
export async function accountOfBuyer(ctx: Pick<CheckoutContext, 'services'>, storefrontId: string, customerId: string) {
  const asked = await askPeer('customer', cartField, () => buyerAccountOf(ctx.services.peers('customer'), storefrontId, customerId));
  if (!asked.ok) return asked;
  return asked.value ? ok(asked.value) : fail('NOT_FOUND', 'No account for this customer', cartField);
}

/** The signed-in customer buying their own cart (or an anonymous one they hold the token of). */
export const customerPurchaser = (ctx: CheckoutContext): Purchaser => ({
  customerId: ctx.principal.id as string,
  findCart: (ref) => findCart(ctx.em, ctx.principal, ref.cartId, ref.cartToken),
  account: () => accountOfBuyer(ctx, actingStorefront(ctx.principal) as string, ctx.principal.id as string),
});
