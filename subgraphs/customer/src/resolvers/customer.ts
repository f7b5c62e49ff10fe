import { badInput, isEmail, isMobile, isUuid, normaliseEmail, notFound, parsePage, type Resolvers, toConnection } from '@dcrm/kit';
import { customerByIdentity, customersPage, type ICustomer } from '../entities/index.js';
import type { CustomerContext } from './context.js';

type PageArgs = { first?: number | null; after?: string | null };

async function visible(ctx: CustomerContext, id: string): Promise<ICustomer> {
  const customer = isUuid(id) ? await ctx.loaders.customer.load(id) : null;
  // Unknown and not-yours look the same: no existence leak across accounts, partners or segments.
  if (!customer) throw notFound('Customer');
  return customer;
}

export const customerResolvers: Resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: CustomerContext) => visible(ctx, ctx.principal.id as string),
    customer: (_: unknown, { id }: { id: string }, ctx: CustomerContext) => visible(ctx, id),
    customers: async (_: unknown, args: PageArgs & { query?: string | null }, ctx: CustomerContext) => {
      const page = parsePage(args, 'ID', 1);
      const scope = await ctx.loaders.scope();
      if (!scope) return toConnection([], page, 'ID', () => []);
      const rows = await customersPage(ctx.em, scope, args.query?.trim(), page);
      for (const row of rows) ctx.loaders.customer.prime(row.id, row);
      return toConnection(rows, page, 'ID', (c) => [c.id]);
    },
    customerByIdentity: async (_: unknown, args: { mobile?: string | null; email?: string | null }, ctx: CustomerContext) => {
      if ((args.mobile == null) === (args.email == null)) throw badInput('Give exactly one of mobile or email');
      if (args.mobile != null && !isMobile(args.mobile)) throw badInput('Mobile numbers are E.164, e.g. +353871234567', 'mobile');
      if (args.email != null && !isEmail(normaliseEmail(args.email))) throw badInput('Not a valid email address', 'email');
      const scope = await ctx.loaders.scope();
      const identity = args.mobile != null ? { mobile: args.mobile } : { email: normaliseEmail(args.email as string) };
      const found = scope ? await customerByIdentity(ctx.em, scope, identity) : null;
      if (!found) throw notFound('Customer');
      return found;
    },
  },
  Customer: {
    __resolveReference: (ref: { id: string }, ctx: CustomerContext) => (isUuid(ref.id) ? ctx.loaders.customer.load(ref.id) : null),
    storefront: (c: ICustomer) => ({ __typename: 'Storefront', id: c.storefrontId }),
    partner: (c: ICustomer, _: unknown, ctx: CustomerContext) => (c.partner ? ctx.loaders.partner.load(c.partner.id) : null),
    parent: (c: ICustomer, _: unknown, ctx: CustomerContext) => (c.parent ? ctx.loaders.customer.load(c.parent.id) : null),
    children: (c: ICustomer, _: unknown, ctx: CustomerContext) => ctx.loaders.children.load(c.id),
    descendantCount: (c: ICustomer, _: unknown, ctx: CustomerContext) => ctx.loaders.descendantCount.load(c.id),
    contacts: (c: ICustomer, _: unknown, ctx: CustomerContext) => ctx.loaders.contacts.load(c.id),
    addresses: (c: ICustomer, _: unknown, ctx: CustomerContext) => ctx.loaders.addresses.load(c.id),
    npsResponses: (c: ICustomer, _: unknown, ctx: CustomerContext) => ctx.loaders.npsResponses.load(c.id),
    interactions: (c: ICustomer, args: PageArgs, ctx: CustomerContext) =>
      ctx.loaders.interactions.load({ customerId: c.id, first: args.first, after: args.after }),
    siteMessages: async (c: ICustomer, args: PageArgs & { unreadOnly?: boolean | null }, ctx: CustomerContext) => {
      // The inbox is the account holder's alone.
      const own = ctx.principal.kind === 'customer' && ctx.principal.id === c.id;
      const page = await (own
        ? ctx.loaders.siteMessages.load({ customerId: c.id, first: args.first, after: args.after, unreadOnly: args.unreadOnly ?? false })
        : toConnection([], parsePage(args, 'NEWEST', 1), 'NEWEST', () => []));
      return { ...page, customerId: own ? c.id : null };
    },
  },
  SiteMessageConnection: {
    unreadCount: (c: { customerId: string | null }, _: unknown, ctx: CustomerContext) =>
      c.customerId ? ctx.loaders.unreadCount.load(c.customerId) : 0,
  },
  Contact: { primary: (c: { isPrimary: boolean }) => c.isPrimary },
  Address: { default: (a: { isDefault: boolean }) => a.isDefault },
  Interaction: {
    // Agents' identities are staff-only: `@internal` in the SDL refuses everyone else.
    staff: (i: { staffId: string | null }, _: unknown, ctx: CustomerContext) => (i.staffId ? ctx.loaders.staff.load(i.staffId) : null),
  },
};
