import { QuoteApproval, QuoteApprovalRuleSet, QuoteAttachment } from './approval.entity.js';
import { Quote, QuoteLine } from './quote.entity.js';

export * from './approval.entity.js';
export * from './quote.entity.js';
export * from './quote.repository.js';

export const entities = [Quote, QuoteLine, QuoteApprovalRuleSet, QuoteApproval, QuoteAttachment];
export type * from './views.js';
