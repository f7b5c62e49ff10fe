import {
  actingStorefront,
  fail,
  forAccount,
  hasScope,
  newId,
  type OrderPlacedEvent,
  ok,
  type Principal,
  SERVICE_SCOPES,
  servicePrincipal,
} from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type CatalogProduct, catalogLoader } from '../clients/catalog.js';
import { type BuyerAccount, buyerAccountOf } from '../clients/customer.js';
import { type IOrder, Order } from '../entities/index.js';
import type { Result } from './cart.errors.js';
import { accountPath, publishPlaced, writeOrder } from './order-write.js';
import { askPeer } from './peer-guard.js';
import { type PricedCartLine, priceOrder, sold } from './pricing.js';
import { type SaleOrderInput, saleDigest, saleField, validSale } from './sale-input.js';
import type { CartServices } from './services.js';
import { holdReason } from './spend.js';

export type SaleOrderContext = { em: EntityManager; principal: Principal; services: CartServices };

type Draft = {
  input: SaleOrderInput;
  storefrontId: string;
  digest: string;
  account: BuyerAccount;
  lines: PricedCartLine[];
  currencyCode: string;
};

/** The same key again: the same order for the same sale, a clear error for another payload. */
const replay = (order: IOrder, digest: string): Result<IOrder> =>
  order.requestDigest === digest
    ? ok(order)
    : fail('IDEMPOTENCY_KEY_REUSED', 'This key was used for another order', saleField('idempotencyKey'));

const existingOrder = (em: EntityManager, storefrontId: string, key: string) =>
  em.fork().findOne(Order, { storefrontId, idempotencyKey: key }) as Promise<IOrder | null>;

/** The account's segment, partner and the accounts above it, asked of the customer subgraph as the cart service of the brand. */
async function account(ctx: SaleOrderContext, storefrontId: string, customerId: string): Promise<Result<BuyerAccount>> {
  const asked = await askPeer('customer', saleField('customerId'), () =>
    buyerAccountOf(ctx.services.peers('customer'), storefrontId, customerId),
  );
  if (!asked.ok) return asked;
  const row = asked.value;
  return row ? ok(row) : fail('NOT_FOUND', 'No such customer', saleField('customerId'));
}

/** Every line priced by the catalog as the account pays (its list, its segment); an unsold product refuses the sale. */
async function priceSale(ctx: SaleOrderContext, storefrontId: string, input: SaleOrderInput, buyer: BuyerAccount) {
  const asAccount = forAccount(servicePrincipal('cart', storefrontId, [SERVICE_SCOPES.accountPricing]), {
    customerId: input.customerId,
    segment: buyer.segment,
  });
  const catalog = catalogLoader(ctx.services.peers('catalog'), asAccount);
  const asked = await askPeer('catalog', saleField('lines'), () => Promise.all(input.lines.map((l) => catalog.load(l.productId))));
  if (!asked.ok) return asked;
  return pricedLines(input, asked.value);
}

function pricedLines(
  input: SaleOrderInput,
  products: (CatalogProduct | null)[],
): Result<{ lines: PricedCartLine[]; currencyCode: string }> {
  const ids = input.lines.map(() => newId());
  const lines: PricedCartLine[] = [];
  for (const [i, line] of input.lines.entries()) {
    const product = products[i];
    if (!sold(product) || !product.currencyCode) return fail('UNAVAILABLE', 'This product is not sold', saleField('lines', i, 'productId'));
    const parent = line.parentIndex ?? null;
    if (parent !== null && !products[parent]?.compatibleAddonIds.includes(product.id))
      return fail('INCOMPATIBLE', 'This add-on does not go with its parent line', saleField('lines', i, 'parentIndex'));
    const { name, kind, categoryId, taxCategory } = product;
    const parentLineId = parent === null ? null : (ids[parent] as string);
    // The catalog says whether it is still sold and how it is taxed; agreed prices replace its prices.
    const agreed = line.agreed;
    const recurring = agreed ? (agreed.recurring ?? null) : product.recurring;
    const oneOff = agreed ? (agreed.oneOff ?? null) : product.oneOff;
    const deposit = agreed ? (agreed.deposit ?? null) : product.deposit;
    const discounts = agreed ? { discountOneOff: agreed.discountOneOff, discountRecurring: agreed.discountRecurring } : {};
    lines.push({
      lineId: ids[i] as string,
      productId: product.id,
      parentLineId,
      quantity: line.quantity,
      name,
      kind,
      categoryId,
      recurring,
      oneOff,
      deposit,
      taxCategory,
      ...discounts,
    });
  }
  const currencies = new Set(products.map((p) => p?.currencyCode));
  if (currencies.size !== 1) return fail('INVALID', 'The products are priced in different currencies', saleField('lines'));
  return ok({ lines, currencyCode: products[0]?.currencyCode as string });
}

/**
 * A sale becomes an order, exactly once per (brand, key): prices re-read from the catalog as the
 * account pays — or, for lines with agreed prices (an accepted quote, scope `order:agreed-prices`), the
 * prices and discounts agreed, on products the catalog still sells — totals by the checkout's rules
 * (no promotions evaluated: a sale's price is negotiated), the order
 * with its lines, first event and `order.placed` outbox entry in one transaction, published after commit
 * — or, over a spend budget, held for approval as a checkout would be (`place`).
 */
export async function orderPlaceForSale(ctx: SaleOrderContext, raw: SaleOrderInput): Promise<Result<IOrder>> {
  const storefrontId = actingStorefront(ctx.principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront in scope', saleField('source'));
  const valid = validSale(raw);
  if (!valid.ok) return valid;
  const input = valid.value;
  // Agreed prices (an accepted quote's) only from a service trusted with them.
  if (input.lines.some((l) => l.agreed) && !hasScope(ctx.principal, SERVICE_SCOPES.orderAgreedPrices))
    return fail('FORBIDDEN', `Agreed prices need scope ${SERVICE_SCOPES.orderAgreedPrices}`, saleField('lines'));
  const digest = saleDigest(input);
  const previous = await existingOrder(ctx.em, storefrontId, input.idempotencyKey);
  if (previous) return replay(previous, digest);
  const buyer = await account(ctx, storefrontId, input.customerId);
  if (!buyer.ok) return buyer;
  const priced = await priceSale(ctx, storefrontId, input, buyer.value);
  if (!priced.ok) return priced;
  const draft: Draft = { input, storefrontId, digest, account: buyer.value, ...priced.value };
  try {
    const placed = await ctx.em.transactional((tx) => place(tx as EntityManager, draft, ctx.services.clock.now()));
    if (placed.event) await publishPlaced(ctx, placed.event);
    return replay(placed.order, digest);
  } catch (error) {
    // Two first attempts raced with one key: the unique (storefront, key) let one through.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const raced = await existingOrder(ctx.em, storefrontId, input.idempotencyKey);
    return raced ? replay(raced, digest) : fail('CONFLICT', 'Please retry', saleField('idempotencyKey'));
  }
}

/**
 * In the order's transaction, like a checkout's: spend control's budgets up the account's tree locked and
 * counted, so a sale over budget is held for the holder above (a staff member's or partner's sale, or the
 * account's own acceptance of a quote) — unless the deciding holder placed it.
 */
async function place(tx: EntityManager, draft: Draft, now: Date): Promise<{ order: IOrder; event: OrderPlacedEvent | null }> {
  const { input, storefrontId, currencyCode } = draft;
  const already = await tx.findOne(Order, { storefrontId, idempotencyKey: input.idempotencyKey });
  if (already) return { order: already, event: null };
  const totals = priceOrder(draft.lines, [], currencyCode, new Map());
  const path = accountPath(input.customerId, draft.account);
  const hold = await holdReason(tx, { storefrontId, path, currencyCode, totals, actedBy: input.actedBy }, now);
  const sale = { sourceKind: input.source.kind, sourceId: input.source.id, placedBy: input.actedBy, requestDigest: draft.digest };
  const { customerId, idempotencyKey: key } = input;
  const order = { storefrontId, customerId, account: draft.account, key, cartId: null, currencyCode, lines: draft.lines };
  return writeOrder(tx, { ...order, totals, promotionIds: [], sale, hold }, now);
}
