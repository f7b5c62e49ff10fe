import { type AccountRowFilter, accountRowScope, actingStorefront, forbidden, hasScope, type Principal } from '@dcrm/kit';

export const SCOPES = { read: 'opportunity:read', write: 'opportunity:write', manage: 'opportunity:manage' } as const;

/**
 * Leads and opportunities a principal may see, as a MikroORM filter (null: none): staff with `scope`
 * in their segments of the acting brand, a partner its own, a service the whole storefront.
 * Customers and anonymous callers see none.
 */
export function salesScope(principal: Principal, scope: string = SCOPES.read): AccountRowFilter | null {
  if (!actingStorefront(principal)) return null;
  if (principal.kind === 'customer' || principal.kind === 'anonymous') return null;
  if (principal.kind === 'staff' && !hasScope(principal, scope)) return null;
  return accountRowScope(principal);
}

/** For top-level reads: staff without `opportunity:read` are refused (FORBIDDEN) rather than shown nothing. */
export function readScope(principal: Principal): AccountRowFilter | null {
  if (principal.kind === 'staff' && !hasScope(principal, SCOPES.read)) throw forbidden(`Missing scope ${SCOPES.read}`);
  return salesScope(principal);
}
