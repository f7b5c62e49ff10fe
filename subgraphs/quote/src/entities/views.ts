import type { IContractLine } from './contract.entity.js';
import type { IQuoteLine } from './quote.entity.js';

/** A quote line as resolvers see it: with its quote's currency. */
export type QuoteLineView = IQuoteLine & { currencyCode: string };

/** A contract line as resolvers see it: with its contract's currency. */
export type ContractLineView = IContractLine & { currencyCode: string };
