import {
  type BulkChecked,
  type BulkOutcome,
  type BulkProblem,
  brandWhere,
  defineBulkAction,
  isUuid,
  newId,
  problem,
  succeeded,
} from '@dcrm/kit';
import { INTERVALS, PRICE_TYPES, Price, PriceList, Product, TAX_CATEGORIES } from '../entities/index.js';
import { knownProducts } from './brand-scope.js';
import { refreshListAmounts } from './list-amount.js';

/**
 * `price.update` (run by the customer subgraph's bulk operations): sets prices in the operation's
 * storefront, with `priceSet`'s rules. Columns: priceListId, product (id or slug), type (RECURRING or
 * ONE_OFF), amount, interval (MONTH or YEAR, RECURRING only), deposit, taxCategory. Another brand's
 * list or a product the storefront does not carry reads as not found. Each valid row answers its
 * (list, product, type) as its key: the orchestration makes a repeat anywhere in the file invalid after
 * its first row (kit `flagRepeatedRows`), whichever validation calls the rows fell in.
 */
type PriceRow = {
  priceListId: string;
  productId: string;
  type: (typeof PRICE_TYPES)[number];
  amount: string;
  interval: (typeof INTERVALS)[number] | null;
  deposit: string | null;
  taxCategory: (typeof TAX_CATEGORIES)[number];
};

const DECIMAL = /^\d{1,10}(\.\d{1,2})?$/;
const oneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

function parseRow(data: Record<string, string>, problems: BulkProblem[]): Omit<PriceRow, 'productId'> & { product: string } {
  const type = (data.type ?? '').trim().toUpperCase();
  const interval = (data.interval ?? '').trim().toUpperCase();
  const taxCategory = (data.taxCategory ?? 'STANDARD').trim().toUpperCase();
  const amount = (data.amount ?? '').trim();
  const deposit = (data.deposit ?? '').trim() || null;
  if (!isUuid(data.priceListId)) problems.push(problem('INVALID', 'Not a valid id', 'priceListId'));
  if (!data.product) problems.push(problem('BLANK', 'Name the product by id or slug', 'product'));
  if (!oneOf(PRICE_TYPES, type)) problems.push(problem('INVALID', 'RECURRING or ONE_OFF', 'type'));
  if (!DECIMAL.test(amount)) problems.push(problem('INVALID', 'A non-negative amount with at most two decimals', 'amount'));
  if (deposit && !DECIMAL.test(deposit)) problems.push(problem('INVALID', 'A non-negative amount with at most two decimals', 'deposit'));
  if (type === 'RECURRING' && !oneOf(INTERVALS, interval))
    problems.push(problem('REQUIRED', 'Recurring prices need MONTH or YEAR', 'interval'));
  if (type === 'ONE_OFF' && interval) problems.push(problem('INVALID', 'One-off prices have no interval', 'interval'));
  if (!oneOf(TAX_CATEGORIES, taxCategory)) problems.push(problem('INVALID', TAX_CATEGORIES.join(', '), 'taxCategory'));
  return {
    priceListId: data.priceListId,
    product: (data.product ?? '').trim(),
    type: type as PriceRow['type'],
    amount,
    interval: type === 'RECURRING' ? (interval as PriceRow['interval']) : null,
    deposit,
    taxCategory: taxCategory as PriceRow['taxCategory'],
  };
}

export const priceUpdate = defineBulkAction({
  name: 'price.update',
  module: 'catalog',
  scope: 'catalog:write',
  async validate(em, { principal }, rows): Promise<BulkChecked[]> {
    const parsed = rows.map((r) => {
      const problems: BulkProblem[] = [];
      return { row: r.row, value: parseRow(r.data, problems), problems };
    });
    const listIds = [...new Set(parsed.flatMap((p) => (isUuid(p.value.priceListId) ? [p.value.priceListId] : [])))];
    const lists = new Set(
      (await em.find(PriceList, { id: { $in: listIds }, ...brandWhere(principal, 'storefront') }, { fields: ['id'] })).map((l) => l.id),
    );
    const refs = [...new Set(parsed.map((p) => p.value.product).filter(Boolean))];
    const products = await em.find(
      Product,
      { $or: [{ id: { $in: refs.filter(isUuid) } }, { slug: { $in: refs } }] },
      { fields: ['id', 'slug'] },
    );
    const idOf = new Map(products.flatMap((p) => [[p.id, p.id] as const, [p.slug, p.id] as const]));
    const known = await knownProducts(em, principal, [...new Set(idOf.values())]);
    return parsed.map(({ row, value, problems }): BulkChecked => {
      if (isUuid(value.priceListId) && !lists.has(value.priceListId))
        problems.push(problem('NOT_FOUND', 'No such price list', 'priceListId'));
      const productId = idOf.get(value.product);
      if (value.product && (!productId || !known.has(productId))) problems.push(problem('NOT_FOUND', 'No such product', 'product'));
      if (problems.length || !productId) return { row, value: null, problems };
      const { product: _ref, ...rest } = value;
      const key = { reason: 'LIST_PRODUCT_TYPE', value: `${value.priceListId}|${productId}|${value.type}`, field: 'product' };
      return { row, value: { ...rest, productId }, problems, keys: [key] };
    });
  },
  async applyBatch(em, _scope, rows): Promise<BulkOutcome[]> {
    const values = rows.map((r) => ({ row: r.row, value: r.value as PriceRow }));
    const listIds = [...new Set(values.map((v) => v.value.priceListId))];
    const lists = new Map((await em.find(PriceList, { id: { $in: listIds } })).map((l) => [l.id, l]));
    const existing = await em.find(Price, { priceList: { $in: listIds }, product: { $in: values.map((v) => v.value.productId) } });
    const byKey = new Map(existing.map((p) => [`${p.priceList.id}|${p.product.id}|${p.type}`, p]));
    const outcomes: BulkOutcome[] = [];
    const refresh = new Map<string, string[]>();
    for (const { row, value } of values) {
      const list = lists.get(value.priceListId);
      if (!list) {
        outcomes.push({
          row,
          ok: false,
          id: null,
          problem: problem('NOT_FOUND', 'The price list was deleted since validation', 'priceListId'),
        });
        continue;
      }
      const price =
        byKey.get(`${value.priceListId}|${value.productId}|${value.type}`) ??
        em.create(Price, {
          id: newId(),
          priceList: list,
          product: em.getReference(Product, value.productId),
          type: value.type,
          amount: value.amount,
        });
      price.amount = value.amount;
      price.interval = value.interval;
      price.deposit = value.deposit;
      price.taxCategory = value.taxCategory;
      if (!list.customerId && !list.segment) refresh.set(list.storefront.id, [...(refresh.get(list.storefront.id) ?? []), value.productId]);
      outcomes.push(succeeded(row, price.id));
    }
    await em.flush();
    for (const [storefrontId, productIds] of refresh) await refreshListAmounts(em, [...new Set(productIds)], storefrontId);
    return outcomes;
  },
});

export const catalogBulkActions = [priceUpdate];

/** For the kit resolvers: this subgraph's Postgres schema. */
export const BULK_SCHEMA = 'catalog';
