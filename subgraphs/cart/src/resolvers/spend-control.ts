import { fromMinor, money, type PageArgs, parsePage, payload, toConnection } from '@dcrm/kit';
import { ordersAwaitingApproval } from '../domain/approval-queue.js';
import type { SpendBudgetResult } from '../domain/cart.errors.js';
import { type BudgetUse, budgetUse } from '../domain/spend.js';
import { orderApprove, orderReject } from '../domain/spend-approval.js';
import { type SpendContext, spendBudgetRemove, spendBudgetSet } from '../domain/spend-budgets.js';
import type { ISpendBudget } from '../entities/index.js';
import type { CartContext, CartResolvers } from './context.js';

const spend = (ctx: CartContext): SpendContext => ({ em: ctx.em, principal: ctx.principal, services: ctx.services });

async function budgetPayload(ctx: CartContext, result: SpendBudgetResult<ISpendBudget>) {
  const use: SpendBudgetResult<BudgetUse> = result.ok
    ? { ok: true, value: await budgetUse(ctx.em, result.value, ctx.services.clock.now()) }
    : result;
  return payload('spendBudget', use);
}

async function awaitingPage(ctx: CartContext, args: PageArgs) {
  const page = parsePage(args, 'NEWEST', 1);
  const rows = await ordersAwaitingApproval(ctx.em, ctx.principal, ctx.loaders.tree, page);
  return toConnection(rows, page, 'NEWEST', (o) => [o.id]);
}

export const spendControlResolvers: CartResolvers = {
  Query: {
    ordersAwaitingApproval: (_, args, ctx) => awaitingPage(ctx, args),
  },
  Customer: {
    spendBudgets: (c, _, ctx) => ctx.loaders.spendBudgets.load(c.id),
  },
  SpendBudget: {
    id: (u) => u.budget.id,
    period: (u) => u.budget.period,
    amount: (u) => money(u.budget.amount, u.budget.currencyCode),
    perOrderLimit: (u) => (u.budget.perOrderLimit == null ? null : money(u.budget.perOrderLimit, u.budget.currencyCode)),
    timeZone: (u) => u.budget.timeZone,
    periodStart: (u) => u.start,
    periodEnd: (u) => u.end,
    spent: (u) => money(fromMinor(u.spent), u.budget.currencyCode),
    remaining: (u) => money(fromMinor(u.remaining), u.budget.currencyCode),
    updatedAt: (u) => u.budget.updatedAt,
  },
  Mutation: {
    spendBudgetSet: async (_, { input }, ctx) => budgetPayload(ctx, await spendBudgetSet(spend(ctx), input)),
    spendBudgetRemove: async (_, { input }, ctx) => budgetPayload(ctx, await spendBudgetRemove(spend(ctx), input.id)),
    orderApprove: async (_, { input }, ctx) => payload('order', await orderApprove(spend(ctx), input.id)),
    orderReject: async (_, { input }, ctx) => payload('order', await orderReject(spend(ctx), input.id, input.reason)),
  },
};
