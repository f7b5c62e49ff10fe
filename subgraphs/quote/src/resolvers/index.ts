import { mergeResolvers } from '@dcrm/kit';
import { approvalResolvers } from './approvals.js';
import { attachmentResolvers } from './attachments.js';
import type { QuoteResolvers } from './context.js';
import { documentResolvers } from './documents.js';
import { quoteMutationResolvers } from './quote-mutations.js';
import { quoteResolvers } from './quotes.js';
import { revisionResolvers } from './revisions.js';

export const resolvers: QuoteResolvers = mergeResolvers(
  quoteResolvers,
  quoteMutationResolvers,
  approvalResolvers,
  revisionResolvers,
  documentResolvers,
  attachmentResolvers,
);
