import { fromMinor, isFirstPage, money, notFound, type PageArgs, pageArgs, parsePage, toConnection } from '@dcrm/kit';
import { chargeFor } from '../domain/contract-actions.js';
import { TMF651_STATUS } from '../domain/contract-lifecycle.js';
import { ruleView } from '../domain/contract-templates.js';
import { findContract, listContracts } from '../domain/contracts.js';
import type { ContractStatus } from '../entities/index.js';
import type { QuoteContext, QuoteResolvers } from './context.js';

const SORT = 'NEWEST';

async function contractsPage(ctx: QuoteContext, args: PageArgs & { status?: ContractStatus | null }, customerId?: string) {
  const page = parsePage(args, SORT, 1);
  // An account's first page comes from the request's loader (one statement for a list of accounts).
  const rows =
    customerId && isFirstPage(page) && !args.status
      ? await ctx.loaders.customerContracts.load(customerId)
      : await listContracts(
          ctx.em,
          ctx.principal,
          { customerIds: customerId ? [customerId] : undefined, status: args.status, page },
          !customerId,
        );
  return toConnection(rows.slice(0, page.limit + 1), page, SORT, (c) => [c.id]);
}

/** Query.contract/contracts/contractTerminationQuote, type Contract and its parts, Customer.contracts, Order.contract. */
export const contractResolvers: QuoteResolvers = {
  Query: {
    contract: async (_, { id }, ctx) => {
      const contract = await findContract(ctx.em, ctx.principal, id);
      if (!contract) throw notFound('Contract');
      return contract;
    },
    contracts: (_, args, ctx) => contractsPage(ctx, args),
    contractTerminationQuote: async (_, { id, at }, ctx) => {
      const contract = await findContract(ctx.em, ctx.principal, id);
      if (!contract) throw notFound('Contract');
      const when = at ?? ctx.loaders.now;
      const charge = chargeFor(contract, when);
      return {
        contractId: contract.id,
        at: when,
        remainingMonths: charge.remainingMonths,
        charge: money(fromMinor(charge.chargeMinor), contract.currencyCode),
        explanation: charge.explanation,
      };
    },
  },
  Contract: {
    // Who may look contracts up is `@lookup` in the SDL; the loader keeps to the rows the caller may see.
    __resolveReference: (ref, ctx) => ctx.loaders.contract.load(ref.id),
    tmfStatus: (c) => TMF651_STATUS[c.status as ContractStatus],
    customer: (c) => ({ __typename: 'Customer', id: c.customerId }),
    order: (c) => (c.orderId ? { __typename: 'Order', id: c.orderId } : null),
    templateName: (c) => c.terms.templateName,
    termMonths: (c) => c.terms.termMonths,
    renewalPolicy: (c) => c.terms.renewalPolicy,
    noticeDays: (c) => c.terms.noticeDays,
    terminationRule: (c) => c.terms.terminationRule,
    lines: (c, _, ctx) => ctx.loaders.contractLines.load(c.id).then((lines) => lines.map((l) => ({ ...l, currencyCode: c.currencyCode }))),
    monthlyFee: (c) => money(fromMinor(c.monthlyFeeMinor), c.currencyCode),
    terminationCharge: (c) => (c.terminationChargeMinor == null ? null : money(fromMinor(c.terminationChargeMinor), c.currencyCode)),
    history: (c, args, ctx) => ctx.loaders.contractEvents.load({ parent: c.id, ...pageArgs(args) }),
  },
  ContractTerminationRule: {
    percent: (r) => ruleView(r).percent,
    amount: (r) => ruleView(r).amount,
    stepMonths: (r) => ruleView(r).stepMonths,
  },
  ContractLine: {
    product: (l) => ({ __typename: 'Product', id: l.productId }),
    monthlyFee: (l) => money(fromMinor(l.monthlyFeeMinor), l.currencyCode),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    contract: async (o, _, ctx) => (await ctx.loaders.orderContracts.load(o.id))[0] ?? null,
  },
  Customer: {
    // Reached through the customer subgraph's rules; the contract scope still applies.
    contracts: (c, args, ctx) => contractsPage(ctx, args, c.id),
  },
};
