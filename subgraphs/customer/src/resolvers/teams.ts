import { apiError, payload } from '@dcrm/kit';
import { staffInbox, staffInboxMarkRead } from '../domain/staff-inbox.js';
import { activeTeamMembers, managerChain, teamsFor } from '../domain/team-directory.js';
import { listTeams, memberVisible, teamCreate, teamMembership, teamUpdate, teamVisible } from '../domain/teams.js';
import type { CustomerResolvers } from './context.js';

/** Teams: staff administration (`staff:manage`), the directory, the service-only routing lookups; the staff inbox. */
export const teamResolvers: CustomerResolvers = {
  Query: {
    teams: async (_, { filter }, ctx) => {
      const result = await listTeams(ctx.em, ctx.principal, filter);
      if (!result.ok) throw apiError('BAD_USER_INPUT', result.errors[0].message, { field: result.errors[0].field });
      return result.value;
    },
    staffInbox: (_, args, ctx) => staffInbox(ctx.em, ctx.principal, args),
    staffManagerChain: (_, { staffId }, ctx) => managerChain(ctx.em, ctx.principal, staffId),
    teamMembers: (_, { teamId }, ctx) => activeTeamMembers(ctx.em, ctx.principal, teamId),
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
    members: async (t, { activeOnly }, ctx) =>
      (await ctx.loaders.teamMembers.load(t.id)).filter((s) => memberVisible(ctx.principal, s) && (!activeOnly || s.active)),
  },
  Staff: {
    teams: async (s, _, ctx) => (await ctx.loaders.staffTeams.load(s.id)).map((r) => r.team).filter((t) => teamVisible(ctx.principal, t)),
  },
};
