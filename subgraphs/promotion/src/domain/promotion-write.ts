import { actingStorefront, Checks, fail, isUuid, ok, type Peers, type Principal, toMinor } from '@dcrm/kit';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPromotion, PromotionRow } from '../entities/index.js';
import type { ErrorCode, Result } from './promotion.errors.js';
import type { Action, Condition, PriceTarget } from './promotion.types.js';
import { checkProducts, checkStorefronts, type Reference } from './references.js';

type Target = PriceTarget | 'BOTH';

/** GraphQL input shapes (DateTime arrives as a Date). */
export type ConditionInput = {
  type: Condition['type'];
  storefrontIds?: string[] | null;
  segments?: string[] | null;
  categories?: string[] | null;
  countries?: string[] | null;
  regions?: string[] | null;
  channels?: string[] | null;
  productIds?: string[] | null;
  minQuantity?: number | null;
  categoryIds?: string[] | null;
  amount?: string | null;
  basis?: Target | null;
  from?: Date | null;
  to?: Date | null;
};
export type ActionInput = {
  type: Action['type'];
  percent?: number | null;
  amount?: string | null;
  price?: string | null;
  target?: Target | null;
  productIds?: string[] | null;
  productId?: string | null;
  addonProductId?: string | null;
  months?: number | null;
};
export type MessageInput = { locale: string; template: string };

type Fields = {
  name?: string | null;
  description?: string | null;
  priority?: number | null;
  stacking?: 'EXCLUSIVE' | 'COMBINABLE' | null;
  couponCode?: string | null;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
  conditions?: ConditionInput[] | null;
  actions?: ActionInput[] | null;
  messages?: MessageInput[] | null;
  active?: boolean | null;
};
export type PromotionCreateInput = Fields & { name: string; actions: ActionInput[] };
export type PromotionUpdateInput = Fields & { id: string; version: number };

const MAX_ITEMS = 250;
const COUPON = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const COUNTRY = /^[A-Za-z]{2}$/;
const PRIORITY_LIMIT = 1_000_000;

const f = (...path: (string | number)[]) => ['input', ...path.map(String)];

/** Non-empty list of short strings, each ≤ `max` characters. */
function strings(checks: Checks<ErrorCode>, values: string[] | null | undefined, field: string[], max = 64): string[] {
  if (!values?.length) {
    checks.add('REQUIRED', 'Give at least one value', field);
    return [];
  }
  if (values.length > MAX_ITEMS) checks.add('TOO_MANY', `At most ${MAX_ITEMS} items`, field);
  const trimmed = values.map((v) => v.trim());
  trimmed.forEach((v, i) => {
    if (v.length === 0 || v.length > max) checks.add('INVALID', `1 to ${max} characters`, [...field, String(i)]);
  });
  return trimmed;
}

function ids(checks: Checks<ErrorCode>, values: string[] | null | undefined, field: string[], min = 1): string[] {
  if (!values || values.length < min) {
    checks.add('REQUIRED', min > 1 ? `Give at least ${min} ids` : 'Give at least one id', field);
    return values ?? [];
  }
  checks.uuids(values, field, MAX_ITEMS);
  return values;
}

function money(checks: Checks<ErrorCode>, value: string | null | undefined, field: string[]): string {
  if (value == null) {
    checks.add('REQUIRED', 'Required for this type', field);
    return '0.00';
  }
  let minor: number;
  try {
    minor = toMinor(value);
  } catch {
    checks.add('INVALID', 'An amount with at most two decimals', field);
    return '0.00';
  }
  if (minor < 0) checks.add('INVALID', 'Must not be negative', field);
  return value.trim();
}

function target(checks: Checks<ErrorCode>, value: Target | null | undefined, field: string[], both: boolean): Target {
  if (value == null) {
    checks.add('REQUIRED', 'Required for this type', field);
    return 'ONE_OFF';
  }
  if (value === 'BOTH' && !both) checks.add('INVALID', 'ONE_OFF or RECURRING', field);
  return value;
}

function condition(checks: Checks<ErrorCode>, c: ConditionInput, at: (...p: string[]) => string[]): Condition {
  switch (c.type) {
    case 'STOREFRONT':
      return { type: c.type, storefrontIds: ids(checks, c.storefrontIds, at('storefrontIds')) };
    case 'SEGMENT':
      return { type: c.type, segments: strings(checks, c.segments, at('segments')) };
    case 'CUSTOMER_CATEGORY':
      return { type: c.type, categories: strings(checks, c.categories, at('categories')) };
    case 'GEOGRAPHY': {
      if (!c.countries?.length && !c.regions?.length) checks.add('REQUIRED', 'Give countries, regions or both', at('countries'));
      const countries = c.countries?.length ? strings(checks, c.countries, at('countries'), 2).map((v) => v.toUpperCase()) : undefined;
      countries?.forEach((v, i) => {
        if (!COUNTRY.test(v)) checks.add('INVALID', 'An ISO 3166-1 alpha-2 code', at('countries', String(i)));
      });
      const regions = c.regions?.length ? strings(checks, c.regions, at('regions'), 100) : undefined;
      return { type: c.type, ...(countries ? { countries } : {}), ...(regions ? { regions } : {}) };
    }
    case 'CHANNEL':
      return { type: c.type, channels: strings(checks, c.channels, at('channels')) };
    case 'PRODUCTS_IN_CART': {
      const minQuantity = c.minQuantity ?? undefined;
      if (minQuantity !== undefined && (!Number.isInteger(minQuantity) || minQuantity < 1 || minQuantity > 99))
        checks.add('INVALID', 'From 1 to 99', at('minQuantity'));
      return { type: c.type, productIds: ids(checks, c.productIds, at('productIds')), ...(minQuantity ? { minQuantity } : {}) };
    }
    case 'CATEGORIES_IN_CART':
      return { type: c.type, categoryIds: ids(checks, c.categoryIds, at('categoryIds')) };
    case 'MIN_SUBTOTAL':
      return {
        type: c.type,
        amount: money(checks, c.amount, at('amount')),
        basis: target(checks, c.basis, at('basis'), false) as PriceTarget,
      };
    case 'FIRST_ORDER':
      return { type: c.type };
    case 'DATE_WINDOW': {
      if (!c.from && !c.to) checks.add('REQUIRED', 'Give from, to or both', at('from'));
      if (c.from && c.to && c.from.getTime() >= c.to.getTime()) checks.add('INVALID', 'Must be before `to`', at('from'));
      return { type: c.type, ...(c.from ? { from: c.from.toISOString() } : {}), ...(c.to ? { to: c.to.toISOString() } : {}) };
    }
  }
}

function action(checks: Checks<ErrorCode>, a: ActionInput, at: (...p: string[]) => string[]): Action {
  switch (a.type) {
    case 'PERCENT_OFF': {
      if (a.percent == null) checks.add('REQUIRED', 'Required for this type', at('percent'));
      else if (!Number.isFinite(a.percent) || a.percent <= 0 || a.percent > 100)
        checks.add('INVALID', 'More than 0, at most 100', at('percent'));
      if (a.months != null && (!Number.isInteger(a.months) || a.months < 1 || a.months > 120))
        checks.add('INVALID', 'From 1 to 120', at('months'));
      if (a.productIds) checks.uuids(a.productIds, at('productIds'), MAX_ITEMS);
      return {
        type: a.type,
        percent: a.percent ?? 0,
        target: target(checks, a.target, at('target'), true),
        ...(a.productIds?.length ? { productIds: a.productIds } : {}),
        ...(a.months ? { months: a.months } : {}),
      };
    }
    case 'AMOUNT_OFF':
      return {
        type: a.type,
        amount: money(checks, a.amount, at('amount')),
        target: target(checks, a.target, at('target'), false) as PriceTarget,
      };
    case 'FIXED_PRICE':
      if (a.productId == null) checks.add('REQUIRED', 'Required for this type', at('productId'));
      else checks.uuid(a.productId, at('productId'));
      return {
        type: a.type,
        productId: a.productId ?? '',
        price: money(checks, a.price, at('price')),
        target: target(checks, a.target, at('target'), false) as PriceTarget,
      };
    case 'FREE_ADDON':
      if (a.addonProductId == null) checks.add('REQUIRED', 'Required for this type', at('addonProductId'));
      else checks.uuid(a.addonProductId, at('addonProductId'));
      return { type: a.type, addonProductId: a.addonProductId ?? '' };
    case 'BUNDLE_PRICE':
      return {
        type: a.type,
        productIds: ids(checks, a.productIds, at('productIds'), 2),
        price: money(checks, a.price, at('price')),
        target: target(checks, a.target, at('target'), false) as PriceTarget,
      };
  }
}

type Normalized = Partial<
  Pick<IPromotion, 'name' | 'description' | 'priority' | 'stacking' | 'couponCode' | 'usageLimit' | 'perCustomerLimit'>
> & {
  conditions?: Condition[];
  actions?: Action[];
  messages?: Record<string, string>;
  active?: boolean;
};

/** Every problem with the fields given (absent fields are not checked: updates leave them as they are). */
function validate(input: Fields, checks: Checks<ErrorCode>, creating: boolean): Normalized {
  const out: Normalized = {};
  if (input.name !== undefined || creating) {
    if (input.name == null) checks.add('REQUIRED', 'Give a name', f('name'));
    else {
      checks.text(input.name, f('name'), 200);
      out.name = input.name.trim();
    }
  }
  if (input.description !== undefined) {
    checks.text(input.description, f('description'), 2000, false);
    out.description = input.description?.trim() || null;
  }
  if (input.priority != null) {
    if (!Number.isInteger(input.priority) || Math.abs(input.priority) > PRIORITY_LIMIT)
      checks.add('INVALID', `An integer within ±${PRIORITY_LIMIT}`, f('priority'));
    out.priority = input.priority;
  }
  if (input.stacking != null) out.stacking = input.stacking;
  if (input.couponCode !== undefined) {
    const code = input.couponCode?.trim() || null;
    if (code !== null && !COUPON.test(code)) checks.add('INVALID', '3 to 64 letters, digits, hyphens or underscores', f('couponCode'));
    out.couponCode = code;
  }
  for (const key of ['usageLimit', 'perCustomerLimit'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    // A limit of 0 would be a promotion nobody can use: leave it inactive instead. Null means unlimited.
    if (value !== null && (!Number.isInteger(value) || value < 1))
      checks.add('INVALID', 'A whole number, 1 or more (null: unlimited)', f(key));
    out[key] = value;
  }
  if (input.conditions != null) {
    if (input.conditions.length > MAX_ITEMS) checks.add('TOO_MANY', `At most ${MAX_ITEMS} conditions`, f('conditions'));
    out.conditions = input.conditions.slice(0, MAX_ITEMS).map((c, i) => condition(checks, c, (...p) => f('conditions', i, ...p)));
  }
  if (input.actions != null || creating) {
    const actions = input.actions ?? [];
    if (actions.length === 0) checks.add('REQUIRED', 'Give at least one action', f('actions'));
    if (actions.length > MAX_ITEMS) checks.add('TOO_MANY', `At most ${MAX_ITEMS} actions`, f('actions'));
    out.actions = actions.slice(0, MAX_ITEMS).map((a, i) => action(checks, a, (...p) => f('actions', i, ...p)));
  }
  if (input.messages != null) {
    if (input.messages.length > MAX_ITEMS) checks.add('TOO_MANY', `At most ${MAX_ITEMS} messages`, f('messages'));
    const messages: Record<string, string> = {};
    input.messages.slice(0, MAX_ITEMS).forEach((m, i) => {
      const locale = m.locale.trim();
      if (!LOCALE.test(locale)) checks.add('INVALID', 'A BCP 47 locale such as en or en-IE', f('messages', i, 'locale'));
      else if (locale in messages) checks.add('DUPLICATE', 'One message per locale', f('messages', i, 'locale'));
      checks.text(m.template, f('messages', i, 'template'), 500);
      messages[locale] = m.template.trim();
    });
    out.messages = messages;
  }
  if (input.active != null) out.active = input.active;
  return out;
}

/** Products and storefronts the normalized conditions and actions name, with where each was given. */
function references(data: Normalized): { products: Reference[]; storefronts: Reference[] } {
  const products: Reference[] = [];
  const storefronts: Reference[] = [];
  const each = (list: string[] | undefined, into: Reference[], ...at: (string | number)[]) => {
    for (const [j, id] of (list ?? []).entries()) into.push({ id, field: f(...at, j) });
  };
  data.conditions?.forEach((c, i) => {
    if (c.type === 'PRODUCTS_IN_CART') each(c.productIds, products, 'conditions', i, 'productIds');
    if (c.type === 'STOREFRONT') each(c.storefrontIds, storefronts, 'conditions', i, 'storefrontIds');
  });
  data.actions?.forEach((a, i) => {
    if (a.type === 'PERCENT_OFF' || a.type === 'BUNDLE_PRICE') each(a.productIds, products, 'actions', i, 'productIds');
    if (a.type === 'FIXED_PRICE' && a.productId) products.push({ id: a.productId, field: f('actions', i, 'productId') });
    if (a.type === 'FREE_ADDON' && a.addonProductId) products.push({ id: a.addonProductId, field: f('actions', i, 'addonProductId') });
  });
  return { products, storefronts };
}

/** Every id the input names must be the caller's brand's (catalog products as the caller sees them). */
async function checkReferences(peers: Peers, principal: Principal, checks: Checks<ErrorCode>, data: Normalized): Promise<void> {
  const refs = references(data);
  checkStorefronts(principal, checks, refs.storefronts);
  await checkProducts(peers, principal, checks, refs.products);
}

/** Is the code free in this storefront (case-insensitive), ignoring `exceptId`? */
async function codeTaken(em: EntityManager, storefrontId: string, code: string, exceptId: string | null): Promise<boolean> {
  const rows = await em.execute(
    'select 1 from "promotion"."promotion" where storefront_id = ? and lower(coupon_code) = lower(?) and id <> ? limit 1',
    [storefrontId, code, exceptId ?? '00000000-0000-0000-0000-000000000000'],
  );
  return rows.length > 0;
}

const taken = () => fail('TAKEN', 'Another promotion of this storefront has this code', f('couponCode'));

async function flush(em: EntityManager, promotion: IPromotion): Promise<Result<IPromotion>> {
  try {
    await em.flush();
    return ok(promotion);
  } catch (error) {
    // Two staff saving the same code at once: the unique index on lower(coupon_code) decides.
    if (error instanceof UniqueConstraintViolationException) return taken();
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The promotion changed meanwhile; reload it', f('version'));
    throw error;
  }
}

export async function promotionCreate(
  em: EntityManager,
  peers: Peers,
  principal: Principal,
  input: PromotionCreateInput,
): Promise<Result<IPromotion>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) return fail('FORBIDDEN', 'No storefront', f());
  const checks = new Checks<ErrorCode>();
  const data = validate(input, checks, true);
  await checkReferences(peers, principal, checks, data);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (data.couponCode && (await codeTaken(em, storefrontId, data.couponCode, null))) return taken();
  const promotion = em.create(PromotionRow, {
    storefrontId,
    name: data.name as string,
    description: data.description ?? null,
    priority: data.priority ?? 0,
    stacking: data.stacking ?? 'COMBINABLE',
    couponCode: data.couponCode ?? null,
    usageLimit: data.usageLimit ?? null,
    perCustomerLimit: data.perCustomerLimit ?? null,
    conditions: data.conditions ?? [],
    actions: data.actions ?? [],
    messages: data.messages ?? {},
    active: data.active ?? true,
  });
  return flush(em, promotion);
}

export async function promotionUpdate(
  em: EntityManager,
  peers: Peers,
  principal: Principal,
  input: PromotionUpdateInput,
): Promise<Result<IPromotion>> {
  const storefrontId = actingStorefront(principal);
  const promotion = storefrontId && isUuid(input.id) ? await em.findOne(PromotionRow, { id: input.id, storefrontId }) : null;
  if (!promotion) return fail('NOT_FOUND', 'No such promotion', f('id'));
  const checks = new Checks<ErrorCode>();
  const { id: _id, version: _version, ...fields } = input;
  const data = validate(fields, checks, false);
  const limit = data.usageLimit === undefined ? promotion.usageLimit : data.usageLimit;
  if (limit !== null && limit !== undefined && limit < promotion.usageCount)
    checks.add('INVALID', `Already used ${promotion.usageCount} times`, f('usageLimit'));
  await checkReferences(peers, principal, checks, data);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (promotion.version !== input.version)
    return fail('CONFLICT', `The promotion changed since version ${input.version}; reload it`, f('version'));
  if (data.couponCode && (await codeTaken(em, promotion.storefrontId, data.couponCode, promotion.id))) return taken();
  // Plain assignment: JSON fields are replaced whole, never merged.
  Object.assign(promotion, data);
  return flush(em, promotion);
}
