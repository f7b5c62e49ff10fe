import { actingStorefront, badInput, executePrepared, isUuid, localeChain, type Principal, servicePrincipal, toMinor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { profilesOf } from '../clients/accounts.js';
import { type CodeProblem, codeProblems, evaluate } from './evaluate.js';
import type { CartLineInput, Channel, Evaluation, EvaluationContext, EvaluationCustomer, LineKind, Promotion } from './promotion.types.js';
import { translateDiscountNames } from './promotion-texts.js';
import type { PromotionServices } from './services.js';

/** What the cart subgraph sends (GraphQL `PromotionEvaluateInput`); prices are the catalog's, never a client's. */
export type EvaluateInput = {
  customerId?: string | null;
  channel: Channel;
  couponCodes: string[];
  isFirstOrder: boolean;
  locale?: string | null;
  lines: {
    lineId: string;
    productId: string;
    categoryId?: string | null;
    kind: string;
    quantity: number;
    unitRecurring?: string | null;
    unitOneOff?: string | null;
    parentLineId?: string | null;
  }[];
};

export type EvaluationResult = Evaluation & { codeProblems: { code: string; problem: CodeProblem | null }[] };

const KINDS = new Set<LineKind>(['PLAN', 'ADDON', 'DEVICE', 'BUNDLE']);
const MAX_LINES = 250;
const MAX_CODES = 20;

/** The input as the engine takes it; malformed service input is a BAD_USER_INPUT error (a bug in the caller). */
export function linesOf(input: EvaluateInput): CartLineInput[] {
  if (input.lines.length > MAX_LINES) throw badInput(`At most ${MAX_LINES} lines`, 'lines');
  if (input.couponCodes.length > MAX_CODES) throw badInput(`At most ${MAX_CODES} codes`, 'couponCodes');
  return input.lines.map((line) => {
    const price = (value: string | null | undefined) => {
      if (value == null) return null;
      toMinorOrThrow(value);
      return value;
    };
    if (!Number.isInteger(line.quantity) || line.quantity < 0 || line.quantity > 999) throw badInput('Invalid quantity', 'lines');
    if (!KINDS.has(line.kind as LineKind)) throw badInput('Invalid kind', 'lines');
    return {
      lineId: line.lineId,
      productId: line.productId,
      categoryId: line.categoryId ?? null,
      kind: line.kind as LineKind,
      quantity: line.quantity,
      unitRecurring: price(line.unitRecurring),
      unitOneOff: price(line.unitOneOff),
      parentLineId: line.parentLineId ?? null,
    };
  });
}

function toMinorOrThrow(value: string): number {
  try {
    return toMinor(value);
  } catch {
    throw badInput('Amounts have at most two decimals', 'lines');
  }
}

export type PromotionSqlRow = {
  id: string;
  name: string;
  priority: number;
  stacking: 'EXCLUSIVE' | 'COMBINABLE';
  coupon_code: string | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  usage_count: number;
  conditions: Promotion['conditions'];
  actions: Promotion['actions'];
  messages: Record<string, string>;
  active: boolean;
};

export const fromSql = (r: PromotionSqlRow): Promotion => ({
  id: r.id,
  name: r.name,
  priority: r.priority,
  stacking: r.stacking,
  couponCode: r.coupon_code,
  usageLimit: r.usage_limit,
  perCustomerLimit: r.per_customer_limit,
  conditions: r.conditions,
  actions: r.actions,
  messages: r.messages,
  active: r.active,
});

/** The distinct customers the inputs name (malformed ids name none). */
const customerIdsOf = (inputs: EvaluateInput[]): string[] => [
  ...new Set(inputs.flatMap((i) => (i.customerId && isUuid(i.customerId) ? [i.customerId] : []))),
];

/**
 * Segment, category and geography of each input's customer (null for none), from the customer
 * subgraph in one `_entities` call as this subgraph's service principal for the storefront. The first
 * address (the default one first) gives country and city; the city is what promotions call a region.
 */
export async function customersOf(
  services: PromotionServices,
  storefrontId: string,
  inputs: EvaluateInput[],
): Promise<(EvaluationCustomer | null)[]> {
  const ids = customerIdsOf(inputs);
  if (ids.length === 0) return inputs.map(() => null);
  const profiles = await profilesOf(services.peers, servicePrincipal('promotion', storefrontId, []), ids);
  const byId = new Map(ids.map((id, i) => [id, profiles[i]]));
  return inputs.map((input) => {
    const profile = input.customerId ? byId.get(input.customerId) : undefined;
    if (!profile) return null;
    const address = profile.addresses[0];
    return {
      id: profile.id,
      segment: profile.segment,
      category: profile.category,
      country: address?.country ?? null,
      region: address?.city ?? null,
      isFirstOrder: input.isFirstOrder,
    };
  });
}

type CustomersUsage = Map<string, Record<string, number>>;

/** Reserved uses per promotion of each of these customers, in one grouped query. */
export async function customersUsage(em: EntityManager, storefrontId: string, ids: string[]): Promise<CustomersUsage> {
  const usage: CustomersUsage = new Map();
  if (ids.length === 0) return usage;
  const rows = await em.execute(
    `select customer_id, promotion_id, count(*)::int as n from "promotion"."redemption"
     where storefront_id = ? and customer_id in (?) and status = 'RESERVED' group by customer_id, promotion_id`,
    [storefrontId, ids],
  );
  for (const r of rows) {
    const own = usage.get(r.customer_id as string) ?? {};
    own[r.promotion_id as string] = r.n as number;
    usage.set(r.customer_id as string, own);
  }
  return usage;
}

export const usageOf = (usage: CustomersUsage, customer: EvaluationCustomer | null): Record<string, number> =>
  (customer && usage.get(customer.id)) ?? {};

export function contextOf(
  services: PromotionServices,
  storefrontId: string,
  input: EvaluateInput,
  customer: EvaluationCustomer | null,
  usage: EvaluationContext['usage'],
  /** The request's language (router request context): messages follow it before the storefront's locale. */
  requested?: string | null,
): EvaluationContext {
  return {
    now: services.clock.now(),
    storefrontId,
    channel: input.channel,
    customer,
    couponCodes: input.couponCodes,
    usage,
    locales: localeChain(requested, input.locale?.trim()),
  };
}

export function withProblems(evaluation: Evaluation, promotions: Promotion[], context: EvaluationContext): EvaluationResult {
  return { ...evaluation, codeProblems: codeProblems(evaluation, promotions, context) };
}

export const MAX_EVALUATIONS = 100;

// Every cart shown is evaluated: a prepared statement of plain rows, not an ORM find that builds, runs and
// hydrates a query each time (the find was a sixth of the promotion subgraph's CPU per cart created).
const ACTIVE_PROMOTIONS = `select id, name, priority, stacking, coupon_code, usage_limit, per_customer_limit, usage_count,
  conditions, actions, messages, active from "promotion"."promotion" where storefront_id = ? and active order by id`;

/** The brand's active promotions, by id, as plain rows (`fromSql`); inside a transaction, read in it (kit `executePrepared`). */
export const activePromotions = (em: EntityManager, storefrontId: string) =>
  executePrepared(em, ACTIVE_PROMOTIONS, [storefrontId]) as Promise<PromotionSqlRow[]>;

/**
 * Display-time evaluation of carts of the caller's storefront, in input order. Whatever their number,
 * the active promotions, the customers' usage and their profiles are each read once for all of them.
 */
export async function evaluateCarts(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  inputs: EvaluateInput[],
): Promise<EvaluationResult[]> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) throw badInput('No storefront');
  if (inputs.length > MAX_EVALUATIONS) throw badInput(`At most ${MAX_EVALUATIONS} carts`, 'inputs');
  if (inputs.length === 0) return [];
  const lines = inputs.map(linesOf);
  const [customers, rows, usage] = await Promise.all([
    customersOf(services, storefrontId, inputs),
    activePromotions(em, storefrontId),
    customersUsage(em, storefrontId, customerIdsOf(inputs)),
  ]);
  const promotions = rows.map(fromSql);
  const total = Object.fromEntries(rows.map((r) => [r.id, r.usage_count]));
  const results = inputs.map((input, i) => {
    const customer = customers[i];
    const context = contextOf(services, storefrontId, input, customer, { total, byCustomer: usageOf(usage, customer) }, principal.locale);
    return withProblems(evaluate(promotions, lines[i], context), promotions, context);
  });
  return translateDiscountNames(em, principal, inputs[0]?.locale, results);
}
