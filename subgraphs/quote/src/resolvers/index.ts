import { mergeResolvers } from '@dcrm/kit';
import type { QuoteResolvers } from './context.js';
import { quoteMutationResolvers } from './quote-mutations.js';
import { quoteResolvers } from './quotes.js';

export const resolvers: QuoteResolvers = mergeResolvers(quoteResolvers, quoteMutationResolvers);
