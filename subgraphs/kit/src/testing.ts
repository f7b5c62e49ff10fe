import { internalSecret, PRINCIPAL_HEADER, type Principal, signPrincipal } from './principal.js';

/** Principals for tests, signed like the router signs them. */
export const principals = {
  shopper: (storefrontId: string): Principal => ({
    kind: 'anonymous',
    id: 'test-key',
    storefrontId,
    partnerId: null,
    roles: [],
    scopes: ['storefront'],
  }),
  customer: (id: string, storefrontId: string, roles: string[] = []): Principal => ({
    kind: 'customer',
    id,
    storefrontId,
    partnerId: null,
    roles,
    scopes: [],
  }),
  staff: (storefrontId: string | null, scopes: string[] = ['catalog:read', 'catalog:write']): Principal => ({
    kind: 'staff',
    id: 'test-staff',
    storefrontId,
    partnerId: null,
    roles: [],
    scopes,
  }),
};

/** Headers of a POST to the `audience` subgraph carrying `body`, signed for exactly that request. */
export function signedHeaders(principal: Principal, audience: string, body: unknown, secret = internalSecret()): Record<string, string> {
  return { [PRINCIPAL_HEADER]: signPrincipal(principal, secret, { audience, body }), 'content-type': 'application/json' };
}
