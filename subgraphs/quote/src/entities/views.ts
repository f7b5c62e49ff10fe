import type { IQuoteLine } from './quote.entity.js';

/** A quote line as resolvers see it: with its quote's currency. */
export type QuoteLineView = IQuoteLine & { currencyCode: string };
