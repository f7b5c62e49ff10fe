import { type CatalogProduct, Checks, catalogLoader, fromMinor, newId, type Principal, type SubgraphTarget, toMinor } from '@dcrm/kit';
import type { DiscountType, IQuoteLine } from '../entities/index.js';
import type { Discount, QuoteLineInput } from './pricing.js';
import type { ErrorCode } from './quote.errors.js';

/** At most this many lines (plans and add-ons) on one quote. */
export const MAX_LINES = 50;

export type DiscountArg = { type: DiscountType; value: string } | null | undefined;
export type AddOnArg = { productId: string; quantity?: number | null; discount?: DiscountArg };
export type LineArg = AddOnArg & { addOns?: AddOnArg[] | null };

/** A line before and after the catalog priced it; `field` is where its input was, for userErrors. */
export type LineDraft = {
  id: string;
  productId: string;
  parentLineId: string | null;
  quantity: number;
  discountType: DiscountType | null;
  discountValue: string | null;
  field: string[];
};
export type PricedDraft = LineDraft &
  QuoteLineInput & { name: string; kind: string; categoryId: string | null; promotionOneOff?: string; promotionRecurring?: string };

/** Checks a discount's shape: a percentage 0–100 or an amount ≥ 0, two decimals at most. */
export function checkDiscount(checks: Checks<ErrorCode>, discount: DiscountArg, field: string[]): Discount | null {
  if (!discount) return null;
  const match = /^\d{1,8}(\.\d{1,2})?$/.exec(discount.value.trim());
  if (!match) checks.add('INVALID', 'A discount is a positive number with two decimals at most', [...field, 'value']);
  else if (discount.type === 'PERCENT' && Number(discount.value) > 100)
    checks.add('INVALID', 'A percentage is 100 at most', [...field, 'value']);
  // Kept as the column stores it (two decimals), so a saved quote reads back as it was answered.
  return match ? { type: discount.type, value: fromMinor(toMinor(discount.value.trim())) } : null;
}

/** Input lines (each with its add-ons) as drafts with fresh ids, add-ons after their plan. */
export function draftLines(checks: Checks<ErrorCode>, lines: LineArg[], field: string[], parentLineId: string | null = null): LineDraft[] {
  const drafts: LineDraft[] = [];
  const draft = (line: AddOnArg, at: string[], parent: string | null): LineDraft => {
    checks.uuid(line.productId, [...at, 'productId']);
    const quantity = line.quantity ?? 1;
    checks.int(quantity, [...at, 'quantity'], 1, 999);
    const discount = checkDiscount(checks, line.discount, [...at, 'discount']);
    return {
      id: newId(),
      productId: line.productId,
      parentLineId: parent,
      quantity,
      discountType: discount?.type ?? null,
      discountValue: discount?.value ?? null,
      field: at,
    };
  };
  lines.forEach((line, i) => {
    const at = [...field, String(i)];
    const plan = draft(line, at, parentLineId);
    drafts.push(plan);
    if (parentLineId && line.addOns?.length) checks.add('INVALID', 'Add-ons of an add-on are not possible', [...at, 'addOns']);
    (line.addOns ?? []).forEach((addOn, j) => {
      drafts.push(draft(addOn, [...at, 'addOns', String(j)], plan.id));
    });
  });
  return drafts;
}

/** The stored lines of a quote as drafts (to price them again with new ones). */
export const storedDrafts = (lines: IQuoteLine[]): LineDraft[] =>
  lines.map((l) => ({
    id: l.id,
    productId: l.productId,
    parentLineId: l.parentLineId ?? null,
    quantity: l.quantity,
    discountType: l.discountType ?? null,
    discountValue: l.discountValue ?? null,
    field: ['input', 'id'],
  }));

/**
 * The drafts as the catalog sells them to `pricing` (the account's prices: negotiated lists included)
 * — or the problems: a product not sold, an add-on that is not one of its plan's compatible add-ons.
 */
export async function priceDrafts(
  catalog: SubgraphTarget,
  pricing: Principal,
  drafts: LineDraft[],
  currencyCode: string,
): Promise<{ ok: true; lines: PricedDraft[] } | { ok: false; checks: Checks<ErrorCode> }> {
  const products = await catalogLoader(catalog, pricing).loadMany(drafts.map((d) => d.productId));
  const byLine = new Map(drafts.map((d, i) => [d.id, products[i]]));
  const checks = new Checks<ErrorCode>();
  const priced: PricedDraft[] = [];
  drafts.forEach((draft, i) => {
    const product = products[i];
    if (product instanceof Error) throw product;
    if (product?.status !== 'ACTIVE' || (product.currencyCode && product.currencyCode !== currencyCode)) {
      checks.add('NOT_SOLD', 'This product is not sold here', [...draft.field, 'productId']);
      return;
    }
    if (draft.parentLineId && !compatible(byLine.get(draft.parentLineId), product))
      checks.add('INCOMPATIBLE', `${product.name} is not an add-on of this plan`, [...draft.field, 'productId']);
    priced.push({
      ...draft,
      lineId: draft.id,
      name: product.name,
      kind: product.kind,
      categoryId: product.categoryId,
      recurring: product.recurring,
      oneOff: product.oneOff,
      deposit: product.deposit,
      taxCategory: product.taxCategory,
    });
  });
  return checks.ok ? { ok: true, lines: priced } : { ok: false, checks };
}

const compatible = (parent: CatalogProduct | Error | null | undefined, addOn: CatalogProduct) =>
  !!parent && !(parent instanceof Error) && addOn.kind === 'ADDON' && parent.compatibleAddonIds.includes(addOn.id);
