import { mergeResolvers } from '@dcrm/kit';
import type { QuoteResolvers } from './context.js';
import { contractMutationResolvers } from './contract-mutations.js';
import { contractTemplateResolvers } from './contract-templates.js';
import { contractResolvers } from './contracts.js';
import { quoteMutationResolvers } from './quote-mutations.js';
import { quoteResolvers } from './quotes.js';

export const resolvers: QuoteResolvers = mergeResolvers(
  quoteResolvers,
  quoteMutationResolvers,
  contractResolvers,
  contractTemplateResolvers,
  contractMutationResolvers,
);
