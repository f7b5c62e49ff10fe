import { Checks, fail, newId, ok, type Principal, randomToken, segmentsOf, sha256Hex } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import type { CatalogProduct } from '../clients/catalog.js';
import { Cart, CartLine, type ICart, type ICartLine } from '../entities/index.js';
import { findCart } from './access.js';
import type { ErrorCode, Result } from './cart.errors.js';
import { MAX_PROMO_CODES } from './promotions.js';

export type CartRef = { cartId: string; cartToken?: string | null; version: number };
/** A line asked for; no quantity is one (the SDL's default, so GraphQL callers always send one). */
export type LineInput = { productId: string; quantity?: number; parentLineId?: string | null };
const quantityOf = (l: LineInput) => l.quantity ?? 1;
export type EditContext = { em: EntityManager; principal: Principal; catalog: DataLoader<string, CatalogProduct | null> };

const MAX_LINES = 50;
const field = (...path: (string | number)[]) => ['input', ...path.map(String)];

/** A cart the caller may change: open, at the version they read. */
export async function openCart(ctx: EditContext, ref: CartRef): Promise<Result<ICart>> {
  const cart = await findCart(ctx.em, ctx.principal, ref.cartId, ref.cartToken);
  if (!cart) return fail('NOT_FOUND', 'No such cart', field('cart', 'cartId'));
  if (cart.status !== 'OPEN') return fail('CART_CLOSED', `This cart is ${cart.status.toLowerCase()}`, field('cart', 'cartId'));
  if (cart.version !== ref.version)
    return fail('CONFLICT', `The cart changed since version ${ref.version}; reload it`, field('cart', 'version'));
  return ok(cart);
}

/** Runs a change and bumps the cart's version; a concurrent change in between is a CONFLICT. */
export async function save(ctx: EditContext, cart: ICart, change: () => void): Promise<Result<ICart>> {
  try {
    change();
    cart.updatedAt = new Date();
    await ctx.em.flush();
    return ok(cart);
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The cart changed meanwhile; reload it', field('cart', 'version'));
    throw error;
  }
}

/** Products must be sold to this caller; add-ons go under a plan or device that lists them as compatible. */
async function checkLines(
  ctx: EditContext,
  cart: ICart,
  existing: ICartLine[],
  lines: LineInput[],
  checks: Checks<ErrorCode>,
): Promise<void> {
  if (lines.length === 0) checks.add('REQUIRED', 'Give at least one line', field('lines'));
  if (existing.length + lines.length > MAX_LINES) checks.add('TOO_MANY', `A cart holds at most ${MAX_LINES} lines`, field('lines'));
  lines.forEach((l, i) => {
    checks.uuid(l.productId, field('lines', i, 'productId'));
    checks.uuid(l.parentLineId, field('lines', i, 'parentLineId'));
    const quantity = quantityOf(l);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99)
      checks.add('INVALID', 'Quantity from 1 to 99', field('lines', i, 'quantity'));
  });
  if (!checks.ok) return;
  const byLine = new Map(existing.map((l) => [l.id, l]));
  const wanted = [...new Set([...lines.map((l) => l.productId), ...existing.map((l) => l.productId)])];
  const products = await ctx.catalog.loadMany(wanted);
  const product = (id: string) => {
    const found = products[wanted.indexOf(id)];
    return found instanceof Error ? null : found;
  };
  for (const [i, l] of lines.entries()) {
    const p = product(l.productId);
    if (p?.status !== 'ACTIVE') return checks.add('NOT_FOUND', 'This product is not sold here', field('lines', i, 'productId'));
    if (p.currencyCode && p.currencyCode !== cart.currencyCode)
      return checks.add('INVALID', 'Priced in another currency', field('lines', i, 'productId'));
    const parent = l.parentLineId ? byLine.get(l.parentLineId) : null;
    if (l.parentLineId && !parent) return checks.add('NOT_FOUND', 'No such line in this cart', field('lines', i, 'parentLineId'));
    if (p.kind === 'ADDON' && !parent)
      return checks.add('ADDON_NEEDS_PARENT', 'Add-ons go under a plan or device line', field('lines', i, 'parentLineId'));
    else if (parent && p.kind !== 'ADDON') checks.add('INVALID', 'Only add-ons go under another line', field('lines', i, 'parentLineId'));
    else if (parent && !product(parent.productId)?.compatibleAddonIds.includes(p.id)) {
      checks.add('INCOMPATIBLE', 'This add-on is not compatible with that product', field('lines', i, 'productId'));
    }
  }
}

async function currencyOf(ctx: EditContext, lines: LineInput[]): Promise<string | null> {
  for (const l of lines) {
    const p = await ctx.catalog.load(l.productId).catch(() => null);
    if (p?.currencyCode) return p.currencyCode;
  }
  return null;
}

/** A new cart, its token (anonymous carts) and its lines as written, in the order the `lines` loader reads them. */
export type Created = { cart: ICart; cartToken: string | null; lines: ICartLine[] };

/**
 * The sales channel a new cart is in, for channel-limited promotions: a chatbot key (a private,
 * non-partner key, which the router grants `customer:lookup`) makes CHATBOT carts; everything else is
 * WEB. Staff taking a cart over (cartAssist) moves it to AGENT.
 */
export function channelOf(principal: Principal): ICart['channel'] {
  return principal.kind === 'anonymous' && principal.scopes.includes('customer:lookup') ? 'CHATBOT' : 'WEB';
}

/** A signed-in customer's cart is theirs; an anonymous one is reached with the token returned here, once. */
export async function cartCreate(
  ctx: EditContext,
  lines: LineInput[],
  storefrontCurrency: () => Promise<string>,
): Promise<Result<Created>> {
  const storefrontId = ctx.principal.storefrontId as string;
  const anonymous = ctx.principal.kind !== 'customer';
  const token = anonymous ? randomToken('ct') : null;
  const currencyCode = (await currencyOf(ctx, lines)) ?? (await storefrontCurrency());
  const cart = ctx.em.create(Cart, {
    storefrontId,
    customerId: anonymous ? null : ctx.principal.id,
    segment: anonymous ? null : (segmentsOf(ctx.principal)[0] ?? null),
    tokenHash: token ? sha256Hex(token) : null,
    currencyCode,
    channel: channelOf(ctx.principal),
  });
  const created: ICartLine[] = [];
  if (lines.length) {
    const checks = new Checks<ErrorCode>();
    await checkLines(ctx, cart, [], lines, checks);
    if (!checks.ok) return { ok: false, errors: checks.errors };
    for (const l of lines)
      created.push(
        ctx.em.create(CartLine, { cart, productId: l.productId, quantity: quantityOf(l), parentLineId: l.parentLineId ?? null }),
      );
  }
  await ctx.em.flush();
  created.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return ok({ cart, cartToken: token, lines: created });
}

export async function cartLinesAdd(ctx: EditContext, ref: CartRef, lines: LineInput[]): Promise<Result<ICart>> {
  const found = await openCart(ctx, ref);
  if (!found.ok) return found;
  const cart = found.value;
  const existing = await ctx.em.find(CartLine, { cart: cart.id });
  const checks = new Checks<ErrorCode>();
  await checkLines(ctx, cart, existing, lines, checks);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return save(ctx, cart, () => {
    for (const l of lines) {
      // The same product under the same parent adds to the quantity.
      const same = existing.find((e) => e.productId === l.productId && (e.parentLineId ?? null) === (l.parentLineId ?? null));
      if (same) same.quantity = Math.min(99, same.quantity + quantityOf(l));
      else ctx.em.create(CartLine, { cart, productId: l.productId, quantity: quantityOf(l), parentLineId: l.parentLineId ?? null });
    }
  });
}

export async function cartLinesUpdate(ctx: EditContext, ref: CartRef, lines: { id: string; quantity: number }[]): Promise<Result<ICart>> {
  const found = await openCart(ctx, ref);
  if (!found.ok) return found;
  const cart = found.value;
  const existing = await ctx.em.find(CartLine, { cart: cart.id });
  const checks = new Checks<ErrorCode>();
  lines.forEach((l, i) => {
    if (!existing.some((e) => e.id === l.id)) checks.add('NOT_FOUND', 'No such line in this cart', field('lines', i, 'id'));
    if (!Number.isInteger(l.quantity) || l.quantity < 0 || l.quantity > 99)
      checks.add('INVALID', 'Quantity from 0 to 99', field('lines', i, 'quantity'));
  });
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return save(ctx, cart, () => {
    for (const l of lines) {
      const line = existing.find((e) => e.id === l.id) as ICartLine;
      if (l.quantity === 0) ctx.em.remove(line);
      else line.quantity = l.quantity;
    }
  });
}

export async function cartLinesRemove(ctx: EditContext, ref: CartRef, lineIds: string[]): Promise<Result<ICart>> {
  const found = await openCart(ctx, ref);
  if (!found.ok) return found;
  const cart = found.value;
  const existing = await ctx.em.find(CartLine, { cart: cart.id });
  const known = new Set(existing.map((e) => e.id));
  const missing = lineIds.findIndex((id) => !known.has(id));
  if (missing >= 0) return fail('NOT_FOUND', 'No such line in this cart', field('lineIds', missing));
  // Removing a plan removes its add-ons (the foreign key cascades).
  return save(ctx, cart, () => {
    for (const line of existing.filter((e) => lineIds.includes(e.id))) ctx.em.remove(line);
  });
}

export async function cartNoteSet(ctx: EditContext, ref: CartRef, note: string | null): Promise<Result<ICart>> {
  const found = await openCart(ctx, ref);
  if (!found.ok) return found;
  if (note && note.length > 1000) return fail('TOO_LONG', 'At most 1000 characters', field('note'));
  return save(ctx, found.value, () => {
    found.value.note = note?.trim() || null;
  });
}

/**
 * After sign-in: the anonymous cart becomes the customer's. If they already have an open cart, its
 * lines and promo codes are folded into that one (quantities add up) and the anonymous cart is MERGED.
 */
export async function cartAttachCustomer(ctx: EditContext, cartId: string, token: string): Promise<Result<ICart>> {
  const cart = await findCart(ctx.em, ctx.principal, cartId, token);
  if (!cart || cart.customerId) return fail('NOT_FOUND', 'No such anonymous cart', field('cartId'));
  if (cart.status !== 'OPEN') return fail('CART_CLOSED', `This cart is ${cart.status.toLowerCase()}`, field('cartId'));
  const customerId = ctx.principal.id as string;
  const target = await ctx.em.findOne(
    Cart,
    { customerId, storefrontId: cart.storefrontId, status: 'OPEN' },
    { orderBy: { updatedAt: 'desc' } },
  );
  // Once it is the customer's, the anonymous token no longer opens it.
  if (!target)
    return save(ctx, cart, () => {
      cart.customerId = customerId;
      cart.segment = segmentsOf(ctx.principal)[0] ?? null;
      cart.tokenHash = null;
    });
  const [incoming, existing] = await Promise.all([ctx.em.find(CartLine, { cart: cart.id }), ctx.em.find(CartLine, { cart: target.id })]);
  return save(ctx, target, () => {
    const moved = new Map<string, string>();
    // Parents first, so add-ons can follow their plan into the other cart.
    for (const line of [...incoming].sort((a, b) => Number(!!a.parentLineId) - Number(!!b.parentLineId))) {
      const parent = line.parentLineId ? (moved.get(line.parentLineId) ?? null) : null;
      const same = existing.find((e) => e.productId === line.productId && (e.parentLineId ?? null) === parent);
      if (same) {
        same.quantity = Math.min(99, same.quantity + line.quantity);
        moved.set(line.id, same.id);
      } else {
        const copy = ctx.em.create(CartLine, {
          id: newId(),
          cart: target,
          productId: line.productId,
          quantity: line.quantity,
          parentLineId: parent,
        });
        moved.set(line.id, copy.id);
      }
    }
    // Codes entered before signing in come along (checkout re-checks every code).
    target.promoCodes = [...new Set([...target.promoCodes, ...cart.promoCodes])].slice(0, MAX_PROMO_CODES);
    cart.status = 'MERGED';
    cart.customerId = customerId;
    cart.tokenHash = null;
  });
}
