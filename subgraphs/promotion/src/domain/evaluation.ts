import { badInput, entitiesOf, fail, isUuid, ok, type Principal, type Result, servicePrincipal, toMinor, userError } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IPromotion, PromotionRow } from '../entities/index.js';
import { type CodeProblem, codeProblems, evaluate } from './evaluate.js';
import type { CartLineInput, Channel, Evaluation, EvaluationContext, EvaluationCustomer, LineKind, Promotion } from './promotion.types.js';
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
function linesOf(input: EvaluateInput): CartLineInput[] {
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

export const toDomain = (p: IPromotion): Promotion => ({
  id: p.id,
  name: p.name,
  priority: p.priority,
  stacking: p.stacking,
  couponCode: p.couponCode ?? null,
  usageLimit: p.usageLimit ?? null,
  perCustomerLimit: p.perCustomerLimit ?? null,
  conditions: p.conditions,
  actions: p.actions,
  messages: p.messages,
  active: p.active,
});

type PromotionSqlRow = {
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

const fromSql = (r: PromotionSqlRow): Promotion => ({
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

type Profile = { id: string; segment: string; category: string; addresses: { city: string; country: string }[] };

/**
 * Segment, category and geography of each input's customer (null for none), from the customer
 * subgraph in one `_entities` call as this subgraph's service principal for the storefront. The first
 * address (the default one first) gives country and city; the city is what promotions call a region.
 */
async function customersOf(
  services: PromotionServices,
  storefrontId: string,
  inputs: EvaluateInput[],
): Promise<(EvaluationCustomer | null)[]> {
  const ids = customerIdsOf(inputs);
  if (ids.length === 0) return inputs.map(() => null);
  const profiles = await entitiesOf<Profile>(
    services.peers('customer'),
    servicePrincipal('promotion', storefrontId),
    'Customer',
    'id segment category addresses { city country }',
    ids,
  );
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
async function customersUsage(em: EntityManager, storefrontId: string, ids: string[]): Promise<CustomersUsage> {
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

const usageOf = (usage: CustomersUsage, customer: EvaluationCustomer | null): Record<string, number> =>
  (customer && usage.get(customer.id)) ?? {};

function contextOf(
  services: PromotionServices,
  storefrontId: string,
  input: EvaluateInput,
  customer: EvaluationCustomer | null,
  usage: EvaluationContext['usage'],
): EvaluationContext {
  return {
    now: services.clock.now(),
    storefrontId,
    channel: input.channel,
    customer,
    couponCodes: input.couponCodes,
    usage,
    locale: input.locale?.trim() || 'en',
  };
}

function withProblems(evaluation: Evaluation, promotions: Promotion[], context: EvaluationContext): EvaluationResult {
  return { ...evaluation, codeProblems: codeProblems(evaluation, promotions, context) };
}

export const MAX_EVALUATIONS = 100;

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
  const storefrontId = principal.storefrontId;
  if (!storefrontId) throw badInput('No storefront');
  if (inputs.length > MAX_EVALUATIONS) throw badInput(`At most ${MAX_EVALUATIONS} carts`, 'inputs');
  if (inputs.length === 0) return [];
  const lines = inputs.map(linesOf);
  const [customers, rows, usage] = await Promise.all([
    customersOf(services, storefrontId, inputs),
    em.find(PromotionRow, { storefrontId, active: true }),
    customersUsage(em, storefrontId, customerIdsOf(inputs)),
  ]);
  const promotions = rows.map(toDomain);
  const total = Object.fromEntries(rows.map((r) => [r.id, r.usageCount]));
  return inputs.map((input, i) => {
    const customer = customers[i];
    const context = contextOf(services, storefrontId, input, customer, { total, byCustomer: usageOf(usage, customer) });
    return withProblems(evaluate(promotions, lines[i], context), promotions, context);
  });
}

export type RedeemInput = { idempotencyKey: string; evaluation: EvaluateInput };

/**
 * The authoritative evaluation of a checkout. In one transaction: the limited promotions that could
 * apply to this cart are locked (in id order, so concurrent checkouts queue instead of deadlocking),
 * their usage re-read, the cart evaluated, a RESERVED redemption written per applied promotion and its usage counted.
 * Limits therefore hold under concurrency. A typed code that does not apply refuses the whole
 * redemption (nothing reserved): the shopper must not pay other than what they were shown.
 * The same key again returns the same discounts without counting twice.
 */
export async function promotionRedeem(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  input: RedeemInput,
): Promise<Result<EvaluationResult>> {
  const storefrontId = principal.storefrontId;
  if (!storefrontId) throw badInput('No storefront');
  const key = input.idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters', ['input', 'idempotencyKey']);
  const lines = linesOf(input.evaluation);
  // Another subgraph is asked before the transaction opens, never inside it.
  const [customer] = await customersOf(services, storefrontId, [input.evaluation]);
  return em.transactional(async (tx) => {
    const rows = (await tx.execute(`select * from "promotion"."promotion" where storefront_id = ? and active order by id`, [
      storefrontId,
    ])) as PromotionSqlRow[];
    const promotions = rows.map(fromSql);
    const usageCount = new Map(rows.map((r) => [r.id, r.usage_count]));
    // Only a limited promotion that could apply to this cart on its own needs its row locked (its count
    // re-read under the lock): one that cannot apply alone cannot apply beside others either. So
    // checkouts queue only behind those sharing such a promotion, not behind every checkout of the brand.
    const alone = contextOf(services, storefrontId, input.evaluation, customer, { total: {}, byCustomer: {} });
    const contended = promotions
      .filter((p) => (p.usageLimit !== null || p.perCustomerLimit !== null) && evaluate([p], lines, alone).discounts.length > 0)
      .map((p) => p.id);
    if (contended.length > 0) {
      const locked = (await tx.execute(`select id, usage_count from "promotion"."promotion" where id in (?) order by id for update`, [
        contended,
      ])) as { id: string; usage_count: number }[];
      for (const row of locked) usageCount.set(row.id, row.usage_count);
    }
    const reserved = (await tx.execute(
      `select promotion_id from "promotion"."redemption" where storefront_id = ? and idempotency_key = ? and status = 'RESERVED'`,
      [storefrontId, key],
    )) as { promotion_id: string }[];
    if (reserved.length > 0) {
      // A replay: what this key reserved, evaluated as it was (its own reservations do not count against it).
      const mine = new Set(reserved.map((r) => r.promotion_id));
      const own = promotions.filter((p) => mine.has(p.id));
      const context = contextOf(services, storefrontId, input.evaluation, customer, { total: {}, byCustomer: {} });
      return ok(withProblems(evaluate(own, lines, context), own, context));
    }
    const usage = {
      total: Object.fromEntries(usageCount),
      byCustomer: usageOf(await customersUsage(tx as EntityManager, storefrontId, customer ? [customer.id] : []), customer),
    };
    const context = contextOf(services, storefrontId, input.evaluation, customer, usage);
    const result = withProblems(evaluate(promotions, lines, context), promotions, context);
    const problems = result.codeProblems.flatMap((p, i) =>
      p.problem
        ? [
            userError(p.problem, `The code ${p.code.trim()} does not apply (${p.problem})`, [
              'input',
              'evaluation',
              'couponCodes',
              String(i),
            ]),
          ]
        : [],
    );
    if (problems.length > 0) return { ok: false, errors: problems } as Result<EvaluationResult>;
    const applied = result.discounts.map((d) => d.promotionId).sort();
    if (applied.length === 0) return ok(result);
    const now = services.clock.now();
    for (const discount of result.discounts) {
      // A key released earlier (its checkout failed) and retried reserves again.
      await tx.execute(
        `insert into "promotion"."redemption" (id, promotion_id, storefront_id, customer_id, idempotency_key, status, one_off, recurring, created_at)
         values (gen_random_uuid(), ?, ?, ?, ?, 'RESERVED', ?, ?, ?)
         on conflict (storefront_id, idempotency_key, promotion_id) do update
           set status = 'RESERVED', customer_id = excluded.customer_id, one_off = excluded.one_off, recurring = excluded.recurring, created_at = excluded.created_at`,
        [discount.promotionId, storefrontId, customer?.id ?? null, key, discount.oneOff, discount.recurring, now],
      );
    }
    await tx.execute(`update "promotion"."promotion" set usage_count = usage_count + 1 where id in (?)`, [applied]);
    if (customer) {
      await tx.execute(
        `update "promotion"."offer" set status = 'REDEEMED', redeemed_at = ?
         where storefront_id = ? and customer_id = ? and promotion_id in (?) and status in ('NEW', 'SEEN', 'ACCEPTED')`,
        [now, storefrontId, customer.id, applied],
      );
    }
    return ok(result);
  });
}

/** Gives back what a checkout reserved (RESERVED → RELEASED, usage counted down). Safe to call again. */
export async function promotionRelease(em: EntityManager, principal: Principal, idempotencyKey: string): Promise<boolean> {
  const storefrontId = principal.storefrontId;
  if (!storefrontId) throw badInput('No storefront');
  const key = idempotencyKey.trim();
  await em.transactional(async (tx) => {
    // Promotion rows first, in id order, like promotionRedeem: the two never wait on each other crosswise.
    const locked = await tx.execute(
      `select id from "promotion"."promotion" where id in (
         select promotion_id from "promotion"."redemption" where storefront_id = ? and idempotency_key = ? and status = 'RESERVED')
       order by id for update`,
      [storefrontId, key],
    );
    if (locked.length === 0) return;
    const released = await tx.execute(
      `update "promotion"."redemption" set status = 'RELEASED'
       where storefront_id = ? and idempotency_key = ? and status = 'RESERVED' returning promotion_id`,
      [storefrontId, key],
    );
    const ids = released.map((r) => r.promotion_id as string);
    if (ids.length > 0)
      await tx.execute(`update "promotion"."promotion" set usage_count = greatest(usage_count - 1, 0) where id in (?)`, [ids]);
  });
  return true;
}
