import { Contract, ContractEvent, ContractLine, ContractTemplate } from './contract.entity.js';
import { Quote, QuoteLine } from './quote.entity.js';

export * from './contract.entity.js';
export * from './contract.repository.js';
export * from './quote.entity.js';
export * from './quote.repository.js';

export const entities = [Quote, QuoteLine, ContractTemplate, Contract, ContractLine, ContractEvent];
export type * from './views.js';
