import { Quote, QuoteLine } from './quote.entity.js';

export * from './quote.entity.js';
export * from './quote.repository.js';

export const entities = [Quote, QuoteLine];
export type * from './views.js';
