import { accountRowScope, actingStorefront, forbidden, hasScope, type Principal, segmentsOf } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { IContract } from '../entities/index.js';

export const CONTRACT_READ = 'contract:read';
export const CONTRACT_WRITE = 'contract:write';
export const CONTRACT_MANAGE = 'contract:manage';
export const CONTRACT_APPROVE = 'contract:approve';

/** The scopes a template may name as its approval authority. */
export const APPROVAL_SCOPES = [CONTRACT_APPROVE, CONTRACT_MANAGE] as const;

/**
 * Contracts a principal may see, as a filter (null: none): a customer's own, a partner's accounts',
 * staff with `contract:read` by segment — within the request's storefront, when the principal's brands include it.
 */
export function contractScope(principal: Principal): FilterQuery<IContract> | null {
  if (!actingStorefront(principal)) return null;
  if (principal.kind === 'staff' && !hasScope(principal, CONTRACT_READ)) return null;
  return accountRowScope(principal) as FilterQuery<IContract> | null;
}

/** As `contractScope`, but a staff member without `contract:read` is told so (FORBIDDEN) rather than shown nothing. */
export function contractReadScope(principal: Principal): FilterQuery<IContract> | null {
  if (principal.kind === 'staff' && !hasScope(principal, CONTRACT_READ)) throw forbidden(`Missing scope ${CONTRACT_READ}`);
  return contractScope(principal);
}

/** Whether a staff member works on accounts of this segment. */
export function staffServesSegment(principal: Principal, segment: string): boolean {
  const segments = segmentsOf(principal);
  return segments.includes('*') || segments.includes(segment);
}
