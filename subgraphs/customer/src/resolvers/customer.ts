import { badInput, isEmail, isMobile, isUuid, normaliseEmail, notFound, pageArgs, pageList, parsePage, toConnection } from '@dcrm/kit';
import { customerByIdentity, customersByIdentities, customersPage, type ICustomer } from '../entities/index.js';
import type { CustomerContext, CustomerResolvers } from './context.js';

async function visible(ctx: CustomerContext, id: string): Promise<ICustomer> {
  const customer = isUuid(id) ? await ctx.loaders.customer.load(id) : null;
  // Unknown and not-yours look the same: no existence leak across accounts, partners or segments.
  if (!customer) throw notFound('Customer');
  return customer;
}

/** Identities per `_customersByIdentity` call: a bulk validation call's rows. */
const IDENTITY_BATCH = 250;

export const customerResolvers: CustomerResolvers = {
  Query: {
    me: (_, __, ctx) => visible(ctx, ctx.principal.id as string),
    customer: (_, { id }, ctx) => visible(ctx, id),
    customers: async (_, args, ctx) => {
      const page = parsePage(args, 'ID', 1);
      const scope = await ctx.loaders.scope();
      if (!scope) return toConnection([], page, 'ID', () => []);
      const rows = await customersPage(ctx.em, scope, args.query?.trim(), page);
      for (const row of rows) ctx.loaders.customer.prime(row.id, row);
      return toConnection(rows, page, 'ID', (c) => [c.id]);
    },
    customerByIdentity: async (_, args, ctx) => {
      if ((args.mobile == null) === (args.email == null)) throw badInput('Give exactly one of mobile or email');
      if (args.mobile != null && !isMobile(args.mobile)) throw badInput('Mobile numbers are E.164, e.g. +353871234567', 'mobile');
      if (args.email != null && !isEmail(normaliseEmail(args.email))) throw badInput('Not a valid email address', 'email');
      const scope = await ctx.loaders.scope();
      const identity = args.mobile != null ? { mobile: args.mobile } : { email: normaliseEmail(args.email as string) };
      const found = scope ? await customerByIdentity(ctx.em, scope, identity) : null;
      if (!found) throw notFound('Customer');
      return found;
    },
    _customersByIdentity: async (_, args, ctx) => {
      if (args.emails.length > IDENTITY_BATCH || args.mobiles.length > IDENTITY_BATCH)
        throw badInput(`At most ${IDENTITY_BATCH} emails and ${IDENTITY_BATCH} mobiles per call`);
      const scope = await ctx.loaders.scope();
      const emails = [...new Set(args.emails.map(normaliseEmail).filter(isEmail))];
      const mobiles = [...new Set(args.mobiles.filter(isMobile))];
      if (!scope || (!emails.length && !mobiles.length)) return [];
      const found = await customersByIdentities(ctx.em, scope, { emails, mobiles });
      for (const row of found) ctx.loaders.customer.prime(row.id, row);
      return found;
    },
  },
  Customer: {
    __resolveReference: (ref, ctx) => (isUuid(ref.id) ? ctx.loaders.customer.load(ref.id) : null),
    storefront: (c) => ({ __typename: 'Storefront', id: c.storefrontId }),
    partner: (c, _, ctx) => (c.partner ? ctx.loaders.partner.load(c.partner.id) : null),
    parent: (c, _, ctx) => (c.parent ? ctx.loaders.customer.load(c.parent.id) : null),
    ancestors: async (c, _, ctx) => {
      const above = await ctx.loaders.customer.loadMany(await ctx.loaders.ancestors.load(c.id));
      return above.filter((a): a is ICustomer => !!a && !(a instanceof Error));
    },
    children: (c, args, ctx) => ctx.loaders.children.load({ parent: c.id, ...pageArgs(args) }),
    descendantCount: (c, _, ctx) => ctx.loaders.descendantCount.load(c.id),
    contacts: (c, _, ctx) => ctx.loaders.contacts.load(c.id),
    addresses: (c, _, ctx) => ctx.loaders.addresses.load(c.id),
    // One answer per survey sent: few per account, loaded whole for a page of accounts, paged here.
    npsResponses: async (c, args, ctx) =>
      pageList(await ctx.loaders.npsResponses.load(c.id), parsePage(args, 'RESPONDED', 1), 'RESPONDED', (r) => [r.id]),
    interactions: (c, args, ctx) => ctx.loaders.interactions.load({ parent: c.id, ...pageArgs(args) }),
    siteMessages: async (c, args, ctx) => {
      // The inbox is the account holder's alone.
      const own = ctx.principal.kind === 'customer' && ctx.principal.id === c.id;
      const page = await (own
        ? ctx.loaders.siteMessages.load({ parent: c.id, ...pageArgs(args), filter: args.unreadOnly ?? false })
        : toConnection([], parsePage(args, 'NEWEST', 1), 'NEWEST', () => []));
      return { ...page, customerId: own ? c.id : null };
    },
  },
  SiteMessageConnection: {
    unreadCount: (c, _, ctx) => (c.customerId ? ctx.loaders.unreadCount.load(c.customerId) : 0),
  },
  Contact: { primary: (c: { isPrimary: boolean }) => c.isPrimary },
  Address: { default: (a: { isDefault: boolean }) => a.isDefault },
  Interaction: {
    // Agents' identities are staff-only: `@internal` in the SDL refuses everyone else.
    staff: (i, _, ctx) => (i.staffId ? ctx.loaders.staff.load(i.staffId) : null),
  },
};
