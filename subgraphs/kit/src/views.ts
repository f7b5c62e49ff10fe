import type { AccessRule, InternalRule } from './access.js';
import type { PrincipalKind } from './principal.js';

/**
 * The schema views the router serves, one per audience (`pnpm compose` writes schema/views/<audience>.graphql).
 * Service principals are no audience: they see the whole API.
 */
export const AUDIENCES = ['storefront', 'partner', 'staff'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The view a principal kind is served; null for services (the whole API). */
export function audienceOf(kind: PrincipalKind): Audience | null {
  switch (kind) {
    case 'anonymous':
    case 'customer':
      return 'storefront';
    case 'partner':
      return 'partner';
    case 'staff':
      return 'staff';
    default:
      return null;
  }
}

/**
 * Whether a field with these rules belongs in an audience's view. Scopes are not looked at: any kind
 * may hold a scope (a chatbot key is anonymous with `customer:lookup`), so they refuse at run time.
 * Staff see every field but the service-only ones, their refusals stay FORBIDDEN; partners and
 * storefronts see only what their kinds may reach, and no `@internal` field but the holder's own.
 */
export function inView(audience: Audience, rules: AccessRule[], internal: InternalRule | null): boolean {
  if (audience === 'staff') return rules.every((rule) => !rule.kinds || rule.kinds.some((kind) => kind !== 'service'));
  const reaches = (kind: PrincipalKind) =>
    rules.every((rule) => !rule.kinds || rule.kinds.includes(kind)) && (!internal || (internal.holder && kind === 'customer'));
  return audience === 'partner' ? reaches('partner') : reaches('anonymous') || reaches('customer');
}

/** Introspection is off in production unless `DCRM_INTROSPECTION=1` (router and subgraphs alike). */
export function introspectionEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production' || env.DCRM_INTROSPECTION === '1';
}
