import { QuoteApproval, QuoteApprovalRuleSet, QuoteAttachment } from './approval.entity.js';
import { Contract, ContractEvent, ContractLine, ContractTemplate } from './contract.entity.js';
import { Quote, QuoteAcceptance, QuoteLine } from './quote.entity.js';

export * from './approval.entity.js';
export * from './approval.repository.js';
export * from './contract.entity.js';
export * from './contract.repository.js';
export * from './quote.entity.js';
export * from './quote.repository.js';

export const entities = [
  Quote,
  QuoteLine,
  ContractTemplate,
  Contract,
  ContractLine,
  ContractEvent,
  QuoteApprovalRuleSet,
  QuoteApproval,
  QuoteAttachment,
  QuoteAcceptance,
];
export type * from './views.js';
