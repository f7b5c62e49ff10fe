import type { EntityManager } from '@mikro-orm/postgresql';
import { type IQuoteApproval, QuoteApproval } from './approval.entity.js';

/** A quote number within its storefront: what attachments and revisions hang on (every revision shares it). */
export type QuoteNumberRef = { storefrontId: string; number: string };

/** `<storefrontId>/<number>`, a loader key for a quote number (neither part holds a slash). */
export const numberKey = (ref: QuoteNumberRef): string => `${ref.storefrontId}/${ref.number}`;
export const parseNumberKey = (key: string): QuoteNumberRef => {
  const slash = key.indexOf('/');
  return { storefrontId: key.slice(0, slash), number: key.slice(slash + 1) };
};

/** The approver levels of these quote revisions, in one statement (unordered). */
export const approvalsOfQuotes = (em: EntityManager, quoteIds: readonly string[]): Promise<IQuoteApproval[]> =>
  em.find(QuoteApproval, { quoteId: { $in: [...quoteIds] } });
