import { ALL_BRANDS, apiError, pageArgs, parsePage, payload, toConnection } from '@dcrm/kit';
import { accessGroupCreate, accessGroupUpdate, listAccessGroups } from '../domain/access-groups.js';
import type { Result } from '../domain/customer.errors.js';
import {
  accessGroupMembership,
  type CreatedStaff,
  findManagedStaff,
  listStaff,
  staffCreate,
  staffDeactivate,
  staffUpdate,
} from '../domain/staff-admin.js';
import { staffSignInRefusal } from '../domain/staff-password.js';
import type { CustomerResolvers } from './context.js';

const created = (result: Result<CreatedStaff>) =>
  result.ok
    ? { staff: result.value.staff, oneTimePassword: result.value.oneTimePassword, userErrors: [] }
    : { staff: null, oneTimePassword: null, userErrors: result.errors };

/** Staff and access-group administration (`staff:manage`), in the caller's acting brand. */
export const administrationResolvers: CustomerResolvers = {
  Query: {
    staffMembers: async (_, args, ctx) => {
      const page = parsePage(args, 'ID', 1);
      const rows = await listStaff(ctx.em, ctx.principal, args.filter, page);
      if (!rows.ok) throw apiError('BAD_USER_INPUT', rows.errors[0].message, { field: rows.errors[0].field });
      return toConnection(rows.value, page, 'ID', (s) => [s.id]);
    },
    staff: async (_, { id }, ctx) => {
      const staff = await findManagedStaff(ctx.em, ctx.principal, id);
      if (!staff) throw apiError('NOT_FOUND', 'Staff member not found');
      return staff;
    },
    accessGroups: (_, __, ctx) => listAccessGroups(ctx.em, ctx.principal),
  },
  Mutation: {
    staffCreate: async (_, { input }, ctx) => created(await staffCreate(ctx.em, ctx.principal, input)),
    staffUpdate: async (_, { input }, ctx) => payload('staff', await staffUpdate(ctx.em, ctx.principal, input)),
    staffDeactivate: async (_, { input }, ctx) => payload('staff', await staffDeactivate(ctx.em, ctx.services, ctx.principal, input.id)),
    accessGroupCreate: async (_, { input }, ctx) => payload('accessGroup', await accessGroupCreate(ctx.em, ctx.principal, input)),
    accessGroupUpdate: async (_, { input }, ctx) => payload('accessGroup', await accessGroupUpdate(ctx.em, ctx.principal, input)),
    accessGroupAssign: async (_, { input }, ctx) => payload('staff', await accessGroupMembership(ctx.em, ctx.principal, input, 'assign')),
    accessGroupRemove: async (_, { input }, ctx) => payload('staff', await accessGroupMembership(ctx.em, ctx.principal, input, 'remove')),
  },
  Staff: {
    active: (s) => s.active,
    homeStorefrontId: (s) => s.storefrontId,
    storefrontIds: (s) => (s.storefronts.includes(ALL_BRANDS) ? [] : [...new Set([s.storefrontId, ...s.storefronts])]),
    allBrands: (s) => s.storefronts.includes(ALL_BRANDS),
    reports: (s, args, ctx) => ctx.loaders.reports.load({ parent: s.id, ...pageArgs(args) }),
    passwordChangeRequired: (s, _, ctx) =>
      staffSignInRefusal(
        { active: true, mustChangePassword: s.mustChangePassword, passwordChangedAt: s.passwordChangedAt },
        ctx.services.staffPasswordMaxAgeDays,
        [],
      ) !== null,
  },
};
