import { accountRowScope, actingStorefront, forbidden, hasScope, type Principal } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { IQuote } from '../entities/index.js';

export const QUOTE_READ = 'quote:read';
export const QUOTE_WRITE = 'quote:write';

/**
 * Quotes a principal may see, as a filter (null: none): a customer's own, a partner's accounts', staff
 * with `quote:read` by segment — within the request's storefront, and only when the principal's
 * brands include it. Prospect quotes (no account) are for staff only.
 */
export function quoteScope(principal: Principal): FilterQuery<IQuote> | null {
  if (!actingStorefront(principal)) return null;
  if (principal.kind === 'staff' && !hasScope(principal, QUOTE_READ)) return null;
  return accountRowScope(principal) as FilterQuery<IQuote> | null;
}

/** As `quoteScope`, but a staff member without `quote:read` is told so (FORBIDDEN) rather than shown nothing. */
export function readScope(principal: Principal): FilterQuery<IQuote> | null {
  if (principal.kind === 'staff' && !hasScope(principal, QUOTE_READ)) throw forbidden(`Missing scope ${QUOTE_READ}`);
  return quoteScope(principal);
}

/** Quotes are expired once their validity period has passed (they cannot be accepted any more). */
export const isExpired = (quote: Pick<IQuote, 'validUntil'>, now: Date): boolean => quote.validUntil.getTime() <= now.getTime();
