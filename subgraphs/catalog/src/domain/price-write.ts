import { brandWhere, Checks, fail, mayActOn, ok, type Principal } from '@dcrm/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPriceList, Price, PriceList, Product, Storefront } from '../entities/index.js';
import type { PriceView } from '../entities/views.js';
import { knownProducts } from './brand-scope.js';
import type { ErrorCode, Result } from './catalog.errors.js';
import { refreshListAmounts } from './list-amount.js';

export type PriceSetInput = {
  priceListId: string;
  productId: string;
  type: 'RECURRING' | 'ONE_OFF';
  amount: string;
  interval?: 'MONTH' | 'YEAR' | null;
  deposit?: string | null;
  taxCategory?: 'STANDARD' | 'REDUCED' | 'ZERO' | 'EXEMPT' | null;
};

const MAX_AMOUNT = 9_999_999_999.99;

function checkAmount(value: string | null | undefined, field: string[], checks: Checks<ErrorCode>): void {
  if (value == null) return;
  const [, fraction = ''] = value.split('.');
  if (value.startsWith('-')) checks.add('INVALID', 'Must not be negative', field);
  else if (fraction.length > 2) checks.add('INVALID', 'At most two decimal places', field);
  else if (Number(value) > MAX_AMOUNT) checks.add('INVALID', 'Too large', field);
}

/** Creates or replaces the product's price of one type in a list (one row per list, product and type). */
export async function priceSet(em: EntityManager, principal: Principal, input: PriceSetInput): Promise<Result<PriceView>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.priceListId, ['input', 'priceListId']);
  checks.uuid(input.productId, ['input', 'productId']);
  checkAmount(input.amount, ['input', 'amount'], checks);
  checkAmount(input.deposit, ['input', 'deposit'], checks);
  if (input.type === 'RECURRING' && !input.interval) checks.add('REQUIRED', 'Recurring prices need an interval', ['input', 'interval']);
  if (input.type === 'ONE_OFF' && input.interval) checks.add('INVALID', 'One-off prices have no interval', ['input', 'interval']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  // Another brand's list, or a product none of the caller's brands carries, answers like an unknown id.
  const list = await em.findOne(PriceList, { id: input.priceListId, ...brandWhere(principal, 'storefront') });
  if (!list) checks.add('NOT_FOUND', 'No such price list', ['input', 'priceListId']);
  if (!(await knownProducts(em, principal, [input.productId])).has(input.productId))
    checks.add('NOT_FOUND', 'No such product', ['input', 'productId']);
  if (!checks.ok || !list) return { ok: false, errors: checks.errors };

  const price = await em.transactional(async (tx) => {
    const existing = await tx.findOne(Price, { priceList: list.id, product: input.productId, type: input.type });
    const row =
      existing ??
      tx.create(Price, {
        priceList: tx.getReference(PriceList, list.id),
        product: tx.getReference(Product, input.productId),
        type: input.type,
        amount: input.amount,
      });
    row.amount = input.amount;
    row.interval = input.interval ?? null;
    row.deposit = input.deposit ?? null;
    row.taxCategory = input.taxCategory ?? 'STANDARD';
    await tx.flush();
    if (!list.customerId && !list.segment) await refreshListAmounts(tx as EntityManager, [input.productId], list.storefront.id);
    return row;
  });
  return ok({
    id: price.id,
    productId: input.productId,
    type: price.type,
    amount: price.amount,
    interval: price.interval ?? null,
    deposit: price.deposit ?? null,
    taxCategory: price.taxCategory,
    priceListId: list.id,
    listName: list.name,
    currencyCode: list.currencyCode,
    listCustomerId: list.customerId ?? null,
    listSegment: list.segment ?? null,
  });
}

export type PriceListCreateInput = { storefrontId: string; name: string; customerId?: string | null; segment?: string | null };

/** Whether the caller may see this account in this storefront (the customer subgraph decides). */
export type AccountCheck = (storefrontId: string, customerId: string) => Promise<boolean>;

export async function priceListCreate(
  em: EntityManager,
  principal: Principal,
  input: PriceListCreateInput,
  accountVisible: AccountCheck,
): Promise<Result<IPriceList>> {
  const checks = new Checks<ErrorCode>();
  checks.uuid(input.storefrontId, ['input', 'storefrontId']);
  checks.uuid(input.customerId, ['input', 'customerId']);
  checks.text(input.name, ['input', 'name'], 255);
  if (input.segment != null && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(input.segment))
    checks.add('INVALID', 'Segment codes are lower-case slugs', ['input', 'segment']);
  if (input.customerId && input.segment) checks.add('INVALID', 'A list is for an account or a segment, not both', ['input', 'segment']);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const storefront = mayActOn(principal, input.storefrontId) ? await em.findOne(Storefront, { id: input.storefrontId }) : null;
  if (!storefront) return fail('NOT_FOUND', 'No such storefront', ['input', 'storefrontId']);
  if (input.customerId && !(await accountVisible(storefront.id, input.customerId)))
    return fail('NOT_FOUND', 'No such customer', ['input', 'customerId']);
  try {
    const list = await em.transactional(async (tx) =>
      tx.create(PriceList, {
        storefront: tx.getReference(Storefront, storefront.id),
        name: input.name.trim(),
        currencyCode: storefront.currencyCode,
        customerId: input.customerId ?? null,
        segment: input.segment ?? null,
      }),
    );
    return ok(list);
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      return fail('TAKEN', 'That storefront already has a list for this account, segment or as its default', ['input']);
    }
    throw error;
  }
}
