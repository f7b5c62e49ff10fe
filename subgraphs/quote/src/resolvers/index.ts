import { mergeResolvers } from '@dcrm/kit';
import { acceptanceResolvers } from './acceptance.js';
import { approvalResolvers } from './approvals.js';
import { attachmentResolvers } from './attachments.js';
import type { QuoteResolvers } from './context.js';
import { contractMutationResolvers } from './contract-mutations.js';
import { contractTemplateResolvers } from './contract-templates.js';
import { contractResolvers } from './contracts.js';
import { documentResolvers } from './documents.js';
import { quoteMutationResolvers } from './quote-mutations.js';
import { quoteResolvers } from './quotes.js';
import { revisionResolvers } from './revisions.js';

export const resolvers: QuoteResolvers = mergeResolvers(
  quoteResolvers,
  quoteMutationResolvers,
  contractResolvers,
  contractTemplateResolvers,
  contractMutationResolvers,
  approvalResolvers,
  revisionResolvers,
  documentResolvers,
  attachmentResolvers,
  acceptanceResolvers,
);
