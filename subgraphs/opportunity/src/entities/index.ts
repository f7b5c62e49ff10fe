import { Lead } from './lead.entity.js';
import { Opportunity } from './opportunity.entity.js';
import { OpportunityLine } from './opportunity-line.entity.js';
import { Outbox } from './outbox.entity.js';

export * from './lead.entity.js';
export * from './lead.repository.js';
export * from './opportunity.entity.js';
export * from './opportunity.repository.js';
export * from './opportunity-line.entity.js';
export * from './outbox.entity.js';

export const entities = [Lead, Opportunity, OpportunityLine, Outbox];
