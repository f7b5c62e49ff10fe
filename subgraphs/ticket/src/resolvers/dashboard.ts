import { apiError } from '@dcrm/kit';
import { AGE_BUCKETS, dashboardRange, type GroupRow, groupTotals, openByPriorityAndAge, perPeriod } from '../domain/dashboard.js';
import { TICKET_PRIORITIES } from '../entities/index.js';
import type { TicketResolvers } from './context.js';

const stats = (row: GroupRow | undefined) => ({
  openCount: row?.open ?? 0,
  breachedCount: row?.breached ?? 0,
  createdCount: row?.created ?? 0,
  resolvedCount: row?.resolved ?? 0,
  averageFirstResponseSeconds: row?.avgResponse ?? null,
  averageResolutionSeconds: row?.avgResolution ?? null,
});

/** Query.ticketDashboard: three aggregate statements, shaped into the dashboard. */
export const dashboardResolvers: TicketResolvers = {
  Query: {
    ticketDashboard: async (_, args, ctx) => {
      const now = ctx.services.clock.now();
      const asked = dashboardRange({ period: args.period, from: args.from, to: args.to, teamId: args.teamId }, now);
      if (!asked.ok) throw apiError('BAD_USER_INPUT', asked.errors[0].message, { field: asked.errors[0].field?.join('.') });
      const range = asked.value;
      // `@access` admits staff with ticket:read; their segments and brand are the scope (none: everything zero).
      const scope = ctx.loaders.scope ?? { storefrontId: { $in: [] } };
      const [open, groups, periods] = await Promise.all([
        openByPriorityAndAge(ctx.em, scope, range, now),
        groupTotals(ctx.em, scope, range),
        perPeriod(ctx.em, scope, range),
      ]);
      return {
        from: range.from,
        to: range.to,
        period: range.period,
        totals: stats(groups.find((g) => g.level === 'all')),
        openByPriority: TICKET_PRIORITIES.map((priority) => {
          const rows = open.filter((r) => r.priority === priority);
          return {
            priority,
            count: rows.reduce((n, r) => n + r.open, 0),
            breachedCount: rows.reduce((n, r) => n + r.breached, 0),
            byAge: AGE_BUCKETS.map((age) => ({ age, count: rows.find((r) => r.age === age)?.open ?? 0 })),
          };
        }),
        teams: groups.filter((g) => g.level === 'team').map((g) => ({ teamId: g.teamId, stats: stats(g) })),
        assignees: groups
          .filter((g) => g.level === 'assignee')
          .map((g) => ({ assignee: g.assigneeId ? { __typename: 'Staff' as const, id: g.assigneeId } : null, stats: stats(g) })),
        periods: periods.map((p) => ({
          start: p.start,
          createdCount: p.created,
          resolvedCount: p.resolved,
          averageFirstResponseSeconds: p.avgResponse,
          averageResolutionSeconds: p.avgResolution,
        })),
      };
    },
  },
};
