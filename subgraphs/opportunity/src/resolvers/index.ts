import { mergeResolvers } from '@dcrm/kit';
import type { OpportunityResolvers } from './context.js';
import { leadMutationResolvers } from './lead-mutations.js';
import { leadResolvers } from './leads.js';
import { opportunityResolvers } from './opportunities.js';
import { saleOrderResolvers } from './sale-orders.js';

export const resolvers: OpportunityResolvers = mergeResolvers(
  leadResolvers,
  leadMutationResolvers,
  opportunityResolvers,
  saleOrderResolvers,
);
