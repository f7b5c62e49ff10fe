import { mergeResolvers } from '@dcrm/kit';
import type { OpportunityResolvers } from './context.js';
import { leadResolvers } from './leads.js';
import { opportunityResolvers } from './opportunities.js';

export const resolvers: OpportunityResolvers = mergeResolvers(leadResolvers, opportunityResolvers);
