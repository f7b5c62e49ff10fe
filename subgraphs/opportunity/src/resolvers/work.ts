import { actingStorefront, isUuid, type Principal, pageArgs, parsePage, payload, toConnection } from '@dcrm/kit';
import '../domain/work/approvals.js';
import { opportunityAssign } from '../domain/work/assignment.js';
import { opportunityNoteAdd, opportunityShare, opportunityUnshare } from '../domain/work/notes-shares.js';
import { routingRulesSet } from '../domain/work/rule-sets.js';
import { taskCreate, taskDecide, taskUpdate } from '../domain/work/tasks.js';
import { assignedTasksPage, RoutingRuleSet, type TaskStatus, taskKey } from '../entities/index.js';
import type { OpportunityContext, OpportunityResolvers } from './context.js';

const visible = async (opportunityId: string, ctx: OpportunityContext) => (await ctx.loaders.opportunity.load(opportunityId)) ?? null;
const staffId = (p: Principal) => (p.kind === 'staff' && isUuid(p.id) ? p.id : null);

/** Tasks and approvals, notes, sharing, assignment and routing rules of opportunities (domain/work). */
export const workResolvers: OpportunityResolvers = {
  Query: {
    myTasks: async (_, args, ctx) => {
      const page = parsePage(args, 'DUE', 3, { defaultSize: 50 });
      const storefrontId = actingStorefront(ctx.principal);
      const me = staffId(ctx.principal);
      const wanted: TaskStatus[] = args.statuses?.length ? args.statuses : ['OPEN', 'IN_PROGRESS'];
      const rows = storefrontId && me ? await assignedTasksPage(ctx.em, storefrontId, me, wanted, page) : [];
      return toConnection(rows, page, 'DUE', taskKey);
    },
    routingRules: async (_, { kind }, ctx) => {
      const storefrontId = actingStorefront(ctx.principal);
      return storefrontId ? ctx.em.findOne(RoutingRuleSet, { storefrontId, kind }) : null;
    },
  },
  Mutation: {
    taskCreate: async (_, { input }, ctx) => payload('task', await taskCreate(ctx.em, ctx.services, ctx.principal, input)),
    taskUpdate: async (_, { input }, ctx) => payload('task', await taskUpdate(ctx.em, ctx.services, ctx.principal, input)),
    taskDecide: async (_, { input }, ctx) => payload('task', await taskDecide(ctx.em, ctx.services.clock, ctx.principal, input)),
    opportunityNoteAdd: async (_, { input }, ctx) =>
      payload('note', await opportunityNoteAdd(ctx.em, ctx.services.clock, ctx.principal, input)),
    opportunityShare: async (_, { input }, ctx) =>
      payload('opportunity', await opportunityShare(ctx.em, ctx.services, ctx.principal, input)),
    opportunityUnshare: async (_, { input }, ctx) => payload('opportunity', await opportunityUnshare(ctx.em, ctx.principal, input)),
    opportunityAssign: async (_, { input }, ctx) =>
      payload('opportunity', await opportunityAssign(ctx.em, ctx.services, ctx.principal, input)),
    routingRulesSet: async (_, { input }, ctx) => payload('ruleSet', await routingRulesSet(ctx.em, ctx.principal, input)),
  },
  OpportunityTask: {
    opportunity: (t, _, ctx) => visible(t.opportunityId, ctx),
  },
  OpportunityNote: {
    author: (n) => `${n.authorKind}:${n.authorId ?? ''}`,
  },
  RoutingRule: {
    name: (r) => r.name ?? null,
    match: (r) => r.match ?? 'all',
    priority: (r) => r.priority ?? 0,
    active: (r) => r.active ?? true,
    target: (r) => r.target ?? '',
  },
  RoutingCondition: {
    value: (c) => (c.value === undefined ? null : JSON.stringify(c.value)),
  },
  Opportunity: {
    tasks: (o, args, ctx) => ctx.loaders.tasks.load({ parent: o.id, ...pageArgs(args) }),
    notes: (o, args, ctx) => ctx.loaders.notes.load({ parent: o.id, ...pageArgs(args) }),
    internalNotes: (o, args, ctx) => ctx.loaders.internalNotes.load({ parent: o.id, ...pageArgs(args) }),
    shares: (o, _, ctx) => ctx.loaders.shares.load(o.id),
    teamId: async (o, _, ctx) => (await ctx.loaders.routing.load(o.id))?.teamId ?? null,
    lastActivityAt: async (o, _, ctx) => (await ctx.loaders.routing.load(o.id))?.lastActivityAt ?? null,
    escalationLevel: async (o, _, ctx) => (await ctx.loaders.routing.load(o.id))?.escalationLevel ?? 0,
    escalatedAt: async (o, _, ctx) => (await ctx.loaders.routing.load(o.id))?.escalatedAt ?? null,
  },
};
