import { actingStorefront, badInput, fail, ok, type Principal, userError } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { evaluate } from './evaluate.js';
import {
  activePromotions,
  contextOf,
  customersOf,
  customersUsage,
  type EvaluateInput,
  type EvaluationResult,
  fromSql,
  linesOf,
  usageOf,
  withProblems,
} from './evaluation.js';
import type { Result } from './promotion.errors.js';
import { translateDiscountNames } from './promotion-texts.js';
import type { PromotionServices } from './services.js';

export type RedeemInput = { idempotencyKey: string; evaluation: EvaluateInput };

/**
 * Serialises redeem and release of one key until the transaction ends. Taken first, before any
 * promotion row, by both, so lock order stays the same. Without it two first redemptions of one key
 * (retries of one checkout) both saw nothing reserved and both counted the usage.
 */
async function lockKey(tx: EntityManager, storefrontId: string, key: string): Promise<void> {
  await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`promotion.redemption:${storefrontId}:${key}`]);
}

/**
 * The authoritative evaluation of a checkout. In one transaction: the limited promotions that could
 * apply to this cart are locked (in id order, so concurrent checkouts queue instead of deadlocking),
 * their usage re-read, the cart evaluated, a RESERVED redemption written per applied promotion and its usage counted.
 * Limits therefore hold under concurrency. A typed code that does not apply refuses the whole
 * redemption (nothing reserved): the shopper must not pay other than what they were shown.
 * The same key again — also concurrently — returns the same discounts without counting twice.
 */
export async function promotionRedeem(
  em: EntityManager,
  services: PromotionServices,
  principal: Principal,
  input: RedeemInput,
): Promise<Result<EvaluationResult>> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) throw badInput('No storefront');
  const key = input.idempotencyKey.trim();
  if (key.length < 8 || key.length > 200) return fail('INVALID', 'Use 8 to 200 characters', ['input', 'idempotencyKey']);
  const lines = linesOf(input.evaluation);
  // Another subgraph is asked before the transaction opens, never inside it.
  const [customer] = await customersOf(services, storefrontId, [input.evaluation]);
  const redeemed = await em.transactional(async (tx): Promise<Result<EvaluationResult>> => {
    await lockKey(tx as EntityManager, storefrontId, key);
    const rows = await activePromotions(tx as EntityManager, storefrontId);
    const promotions = rows.map(fromSql);
    const usageCount = new Map(rows.map((r) => [r.id, r.usage_count]));
    // Only a limited promotion that could apply to this cart on its own needs its row locked (its count
    // re-read under the lock): one that cannot apply alone cannot apply beside others either. So
    // checkouts queue only behind those sharing such a promotion, not behind every checkout of the brand.
    const alone = contextOf(services, storefrontId, input.evaluation, customer, { total: {}, byCustomer: {} }, principal.locale);
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
      const context = contextOf(services, storefrontId, input.evaluation, customer, { total: {}, byCustomer: {} }, principal.locale);
      return ok(withProblems(evaluate(own, lines, context), own, context));
    }
    const usage = {
      total: Object.fromEntries(usageCount),
      byCustomer: usageOf(await customersUsage(tx as EntityManager, storefrontId, customer ? [customer.id] : []), customer),
    };
    const context = contextOf(services, storefrontId, input.evaluation, customer, usage, principal.locale);
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
    if (problems.length > 0) return { ok: false as const, errors: problems };
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
  if (!redeemed.ok) return redeemed;
  // What the order keeps (names and messages) is in the buyer's language, as the cart showed it.
  const [named] = await translateDiscountNames(em, principal, input.evaluation.locale, [redeemed.value]);
  return ok(named);
}

/** Gives back what a checkout reserved (RESERVED → RELEASED, usage counted down). Safe to call again. */
export async function promotionRelease(em: EntityManager, principal: Principal, idempotencyKey: string): Promise<boolean> {
  const storefrontId = actingStorefront(principal);
  if (!storefrontId) throw badInput('No storefront');
  const key = idempotencyKey.trim();
  await em.transactional(async (tx) => {
    await lockKey(tx as EntityManager, storefrontId, key);
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
