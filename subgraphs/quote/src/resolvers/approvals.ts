import { payload } from '@dcrm/kit';
import type { StoredApprovalRule } from '../domain/approval-rules.js';
import { quoteDecide, quoteSubmit, ruleSetOf, setApprovalRules } from '../domain/approvals.js';
import type { QuoteResolvers } from './context.js';

const conditionView = (c: StoredApprovalRule['conditions'][number]) => ({
  path: c.path,
  operator: c.operator.replace(/([A-Z])/g, '_$1').toUpperCase() as never,
  value: Array.isArray(c.value) || c.value === undefined || c.value === null ? null : String(c.value),
  values: Array.isArray(c.value) ? c.value.map(String) : null,
});

const ruleSetView = (set: Awaited<ReturnType<typeof ruleSetOf>>) => ({
  version: set.version,
  updatedAt: set.updatedAt,
  rules: (set.rules as StoredApprovalRule[]).map((r) => ({
    id: r.id,
    name: r.name ?? null,
    match: r.match ?? 'all',
    priority: r.priority ?? 0,
    active: r.active ?? true,
    conditions: r.conditions.map(conditionView),
    level: r.target,
  })),
});

/** Approval rules, quoteSubmit/Approve/Reject and the approvals of a quote revision. */
export const approvalResolvers: QuoteResolvers = {
  Query: {
    quoteApprovalRules: async (_, __, ctx) => ruleSetView(await ruleSetOf(ctx, ctx.principal.storefrontId as string)),
  },
  Mutation: {
    quoteApprovalRulesSet: async (_, { input }, ctx) => {
      const result = await setApprovalRules(ctx, input);
      return result.ok ? { ruleSet: ruleSetView(result.value), userErrors: [] } : { ruleSet: null, userErrors: result.errors };
    },
    quoteSubmit: async (_, { id, version }, ctx) => payload('quote', await quoteSubmit(ctx, id, version)),
    quoteApprove: async (_, { input }, ctx) => payload('quote', await quoteDecide(ctx, input, 'APPROVED')),
    quoteReject: async (_, { input }, ctx) => payload('quote', await quoteDecide(ctx, input, 'REJECTED')),
  },
  Quote: {
    approvals: async (q, _, ctx) =>
      (await ctx.loaders.approvals.load(q.id)).map((a) => ({
        level: a.level as never,
        status: a.status,
        reasons: a.reasons,
        decidedBy: a.decidedBy ?? null,
        comment: a.comment ?? null,
        at: a.decidedAt ?? a.createdAt,
      })),
    approvalRules: async (q, _, ctx) => (await ctx.loaders.approvals.load(q.id)).flatMap((a) => a.reasons),
  },
};
