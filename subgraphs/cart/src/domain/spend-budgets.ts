import {
  accountRowScope,
  accountTreeOf,
  actingStorefront,
  fail,
  hasScope,
  isAccountAdmin,
  isUuid,
  ok,
  type Principal,
  type SpendPeriod,
  toMinor,
  validTimeZone,
} from '@dcrm/kit';
import { type FilterQuery, LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Account, visibleAccount } from '../clients/customer.js';
import { storefrontBudgetFacts } from '../clients/storefront.js';
import { type ISpendBudget, SpendBudget } from '../entities/index.js';
import type { SpendBudgetResult as Result } from './cart.errors.js';
import { askPeer } from './peer-guard.js';
import type { CartServices } from './services.js';
import { type BudgetUse, budgetUses } from './spend.js';

export type SpendContext = { em: EntityManager; principal: Principal; services: CartServices };

export type SpendBudgetSetInput = {
  customerId: string;
  period: SpendPeriod;
  amount: string;
  perOrderLimit?: string | null;
  timeZone?: string | null;
};

/** Staff set and remove budgets with this scope, within their brands and segments. */
export const BUDGET_SCOPE = 'customer:write';

const field = (...path: string[]) => ['input', ...path];
const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

/**
 * The account whose budgets the caller may set: the holder of an account above it (never the account
 * itself: a sub-account does not set its own limits), or staff with the scope who can see it (the
 * customer subgraph decides, as for any account). Anyone else: FORBIDDEN; an account they cannot see: NOT_FOUND.
 */
async function managedAccount(ctx: SpendContext, customerId: string, at: string[]): Promise<Result<Account>> {
  const { principal } = ctx;
  const role = mayManage(principal, at);
  if (!role.ok) return role;
  if (principal.kind === 'customer' && principal.id === customerId)
    return fail('FORBIDDEN', 'Only the holder of the account above sets its budgets', at);
  if (!isUuid(customerId)) return fail('NOT_FOUND', 'No such account', at);
  const asked = await askPeer('customer', at, () => visibleAccount(ctx.services.peers('customer'), principal, customerId));
  if (!asked.ok) return asked;
  return asked.value ? ok(asked.value) : fail('NOT_FOUND', 'No such account', at);
}

/** Whether the caller is of a kind that manages budgets at all (decided before any row is read). */
function mayManage(principal: Principal, at: string[]): Result<true> {
  if (!actingStorefront(principal)) return fail('FORBIDDEN', 'No storefront in scope', at);
  if (principal.kind === 'customer')
    return isAccountAdmin(principal) ? ok(true) : fail('FORBIDDEN', 'Only a business account holder sets budgets', at);
  if (principal.kind === 'staff')
    return hasScope(principal, BUDGET_SCOPE) ? ok(true) : fail('FORBIDDEN', `Missing scope ${BUDGET_SCOPE}`, at);
  return fail('FORBIDDEN', 'Not allowed', at);
}

function validBudget(input: SpendBudgetSetInput): Result<{ amount: string; perOrderLimit: string | null; timeZone: string | null }> {
  if (!AMOUNT.test(input.amount)) return fail('INVALID', 'Use a non-negative amount with at most two decimals', field('amount'));
  const limit = input.perOrderLimit ?? null;
  if (limit !== null && !AMOUNT.test(limit))
    return fail('INVALID', 'Use a non-negative amount with at most two decimals', field('perOrderLimit'));
  if (limit !== null && toMinor(limit) > toMinor(input.amount))
    return fail('INVALID', 'The per-order limit cannot exceed the budget', field('perOrderLimit'));
  const timeZone = input.timeZone?.trim() || null;
  if (timeZone !== null && !validTimeZone(timeZone))
    return fail('INVALID', 'Use an IANA time zone such as Europe/Dublin', field('timeZone'));
  return ok({ amount: input.amount, perOrderLimit: limit, timeZone });
}

/** Sets (creates or replaces) an account's budget for one period kind, in the storefront's currency and (by default) time zone. */
export async function spendBudgetSet(ctx: SpendContext, input: SpendBudgetSetInput): Promise<Result<ISpendBudget>> {
  const valid = validBudget(input);
  if (!valid.ok) return valid;
  const account = await managedAccount(ctx, input.customerId, field('customerId'));
  if (!account.ok) return account;
  const brand = await askPeer('catalog', field('customerId'), () => storefrontBudgetFacts(ctx.services.peers('catalog'), ctx.principal));
  if (!brand.ok) return brand;
  const storefrontId = ctx.principal.storefrontId as string;
  const facts = {
    ...valid.value,
    // Periods follow the brand's calendar unless the holder names another zone.
    timeZone: valid.value.timeZone ?? brand.value.timeZone,
    segment: account.value.segment,
    partnerId: account.value.partner?.id ?? null,
    currencyCode: brand.value.currencyCode,
    setBy: ctx.principal.id as string,
  };
  const key = { storefrontId, customerId: input.customerId, period: input.period };
  try {
    return ok(await upsert(ctx.em.fork() as EntityManager, key, facts));
  } catch (error) {
    // Two holders set one budget at once: the unique (storefront, account, period) let one insert; this one updates it.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    return ok(await upsert(ctx.em.fork() as EntityManager, key, facts));
  }
}

async function upsert(em: EntityManager, key: Pick<ISpendBudget, 'storefrontId' | 'customerId' | 'period'>, facts: Partial<ISpendBudget>) {
  return em.transactional(async (tx) => {
    const row = await tx.findOne(SpendBudget, key, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (row) return tx.assign(row, facts);
    return tx.create(SpendBudget, { ...key, ...facts } as ISpendBudget);
  });
}

/** Removes a budget; only who may set it may remove it. */
export async function spendBudgetRemove(ctx: SpendContext, id: string): Promise<Result<ISpendBudget>> {
  const role = mayManage(ctx.principal, field('id'));
  if (!role.ok) return role;
  const storefrontId = actingStorefront(ctx.principal);
  const budget = storefrontId && isUuid(id) ? await ctx.em.findOne(SpendBudget, { id, storefrontId }) : null;
  if (!budget) return fail('NOT_FOUND', 'No such budget', field('id'));
  const account = await managedAccount(ctx, budget.customerId, field('id'));
  if (!account.ok) return account;
  ctx.em.remove(budget);
  await ctx.em.flush();
  return ok(budget);
}

/**
 * Which of these accounts' budgets the caller reads, as one filter: the account itself and the holders
 * above it (its tree, asked of the customer subgraph), staff of its segment, its partner — in the
 * caller's brand. Null: none of them.
 */
async function readScope(
  ctx: SpendContext,
  customerIds: string[],
  tree: () => Promise<string[]>,
): Promise<FilterQuery<ISpendBudget> | null> {
  const { principal } = ctx;
  const storefrontId = actingStorefront(principal);
  if (!storefrontId || principal.kind === 'service') return null;
  if (principal.kind === 'customer') {
    const others = customerIds.filter((id) => id !== principal.id);
    const below = others.length > 0 && isAccountAdmin(principal) ? new Set(await tree()) : new Set<string>();
    const mine = customerIds.filter((id) => id === principal.id || below.has(id));
    return mine.length ? { storefrontId, customerId: { $in: mine } } : null;
  }
  const scope = accountRowScope(principal) as FilterQuery<ISpendBudget> | null;
  return scope ? { $and: [scope, { customerId: { $in: customerIds } }] } : null;
}

const PERIOD_ORDER: Record<string, number> = { MONTH: 0, QUARTER: 1, YEAR: 2 };

/**
 * Each account's budgets with the current period's spend (its whole tree's: spend.ts), month then
 * quarter then year; an empty list for an account the caller may not see them of. Two statements for
 * any number of accounts (a loader's batch).
 */
export async function spendBudgetsOf(
  ctx: SpendContext,
  customerIds: readonly string[],
  tree: () => Promise<string[]>,
): Promise<BudgetUse[][]> {
  const ids = [...new Set(customerIds.filter(isUuid))];
  const scope = ids.length ? await readScope(ctx, ids, tree) : null;
  const budgets = scope ? await ctx.em.find(SpendBudget, scope) : [];
  budgets.sort((a, b) => (PERIOD_ORDER[a.period] ?? 0) - (PERIOD_ORDER[b.period] ?? 0));
  const uses = await budgetUses(ctx.em, budgets, ctx.services.clock.now());
  return customerIds.map((id) => uses.filter((u) => u.budget.customerId === id));
}

/** A holder's account tree, asked once per request however many accounts are read. */
export function treeOnce(ctx: SpendContext): () => Promise<string[]> {
  let tree: Promise<string[]> | null = null;
  return () => {
    tree ??= accountTreeOf(ctx.services.peers('customer'), ctx.principal).catch(() => [ctx.principal.id as string]);
    return tree;
  };
}
