import { apiError, type PageArgs, pageArgs, parsePage, payload, toConnection } from '@dcrm/kit';
import { staffInbox, staffInboxMarkRead } from '../domain/staff-inbox.js';
import { directoryTeam, managerChain, teamsFor } from '../domain/team-directory.js';
import { listTeams, memberVisible, teamCreate, teamKey, teamMembership, teamUpdate, teamVisible } from '../domain/teams.js';
import type { CustomerContext, CustomerResolvers } from './context.js';

/** A page of a team's members the caller may see, as staff (cursors stay those of the memberships, in the order they joined). */
async function membersPage(ctx: CustomerContext, teamId: string, args: PageArgs, activeOnly: boolean) {
  const page = await ctx.loaders.teamMembers.load({ parent: teamId, ...pageArgs(args), filter: activeOnly });
  return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: e.node.staff })), nodes: page.nodes.map((m) => m.staff) };
}

/** Teams: staff administration (`staff:manage`), the directory, the service-only routing lookups; the staff inbox. */
export const teamResolvers: CustomerResolvers = {
  Query: {
    teams: async (_, { filter, ...args }, ctx) => {
      const page = parsePage(args, 'NAME', 2);
      const result = await listTeams(ctx.em, ctx.principal, filter, page);
      if (!result.ok) throw apiError('BAD_USER_INPUT', result.errors[0].message, { field: result.errors[0].field });
      return toConnection(result.value, page, 'NAME', teamKey);
    },
    staffInbox: (_, args, ctx) => staffInbox(ctx.em, ctx.principal, args),
    staffManagerChain: (_, { staffId }, ctx) => managerChain(ctx.em, ctx.principal, staffId),
    teamMembers: async (_, { teamId, ...args }, ctx) => {
      const team = await directoryTeam(ctx.em, ctx.principal, teamId);
      if (!team) return toConnection([], parsePage(args, 'JOINED', 2), 'JOINED', () => []);
      return membersPage(ctx, team.id, args, true);
    },
    teamsFor: async (_, { criteria }, ctx) => {
      const { teams, checks } = await teamsFor(ctx.em, ctx.principal, criteria);
      if (!checks.ok) throw apiError('BAD_USER_INPUT', checks.errors[0].message, { field: checks.errors[0].field });
      return teams;
    },
  },
  Mutation: {
    staffInboxMarkRead: async (_, { input }, ctx) => {
      const result = await staffInboxMarkRead(ctx.em, ctx.principal, input.ids);
      return result.ok ? { unreadCount: result.value, userErrors: [] } : { unreadCount: null, userErrors: result.errors };
    },
    teamCreate: async (_, { input }, ctx) => payload('team', await teamCreate(ctx.em, ctx.principal, input)),
    teamUpdate: async (_, { input }, ctx) => payload('team', await teamUpdate(ctx.em, ctx.principal, input)),
    teamMemberAdd: async (_, { input }, ctx) => payload('team', await teamMembership(ctx.em, ctx.principal, input, 'add')),
    teamMemberRemove: async (_, { input }, ctx) => payload('team', await teamMembership(ctx.em, ctx.principal, input, 'remove')),
  },
  Team: {
    __resolveReference: async (ref, ctx) => teamVisible(ctx.principal, await ctx.loaders.team.load(ref.id)),
    manager: async (t, _, ctx) => {
      const manager = t.manager ? await ctx.loaders.staff.load(t.manager.id) : null;
      return manager && memberVisible(ctx.principal, manager) ? manager : null;
    },
    members: (t, { activeOnly, ...args }, ctx) => membersPage(ctx, t.id, args, !!activeOnly),
  },
  Staff: {
    teams: async (s, _, ctx) => (await ctx.loaders.staffTeams.load(s.id)).map((r) => r.team).filter((t) => teamVisible(ctx.principal, t)),
  },
};
