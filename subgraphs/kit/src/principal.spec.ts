import { describe, expect, it } from 'vitest';
import {
  forAccount,
  handOverPrincipal,
  hasScope,
  PRINCIPAL_TTL_MS,
  type Principal,
  SERVICE_SCOPES,
  servicePrincipal,
  signPrincipal,
  takeHandedOverPrincipal,
  verifyPrincipal,
} from './principal.js';

const secret = 'x'.repeat(40);
const alice: Principal = { kind: 'customer', id: 'c1', storefrontId: 's1', partnerId: null, roles: ['segment:smb'], scopes: [] };

const body = { query: 'query Q($id: ID!) { product(id: $id) { id } }', operationName: 'Q', variables: { id: 'p1', tags: ['a'] } };
const binding = { audience: 'catalog', body };

describe('signed principal', () => {
  it('round-trips for the subgraph and request it was signed for', () => {
    expect(verifyPrincipal(signPrincipal(alice, secret, binding), secret, binding)).toEqual({ ...alice, clientIp: null });
  });

  it('verifies the body the subgraph parsed from the JSON sent, key order and absent fields aside', () => {
    const header = signPrincipal(alice, secret, { audience: 'catalog', body: { query: '{ a }', variables: undefined } });
    expect(verifyPrincipal(header, secret, { audience: 'catalog', body: JSON.parse('{"query":"{ a }"}') })).not.toBeNull();
    const reordered = JSON.parse(JSON.stringify({ variables: { tags: ['a'], id: 'p1' }, operationName: 'Q', query: body.query }));
    expect(verifyPrincipal(signPrincipal(alice, secret, binding), secret, { audience: 'catalog', body: reordered })).not.toBeNull();
  });

  it('keeps the brands a principal may act on', () => {
    const staff: Principal = { ...alice, kind: 'staff', storefronts: ['s1', 's2'] };
    expect(verifyPrincipal(signPrincipal(staff, secret, binding), secret, binding)?.storefronts).toEqual(['s1', 's2']);
  });

  it('rejects it at another subgraph', () => {
    expect(verifyPrincipal(signPrincipal(alice, secret, binding), secret, { ...binding, audience: 'customer' })).toBeNull();
  });

  it('rejects it with another request body', () => {
    const header = signPrincipal(alice, secret, binding);
    for (const other of [
      { ...body, query: '{ customers(first: 100) { nodes { id } } }' },
      { ...body, variables: { id: 'p2', tags: ['a'] } },
      { ...body, operationName: 'Other' },
      { ...body, extensions: { persistedQuery: { version: 1 } } },
      undefined,
      { variables: body.variables },
    ]) {
      expect(verifyPrincipal(header, secret, { audience: 'catalog', body: other })).toBeNull();
    }
  });

  it('is not needed in-process: a principal handed over with the request object is taken once, by its subgraph', () => {
    const request = { query: '{ a }', variables: { ids: ['c1'] } };
    const staff = { ...alice, kind: 'staff', storefronts: ['s1', 's2'], locale: 'en-ie', extra: 'dropped' } as Principal;
    handOverPrincipal(staff, { audience: 'catalog', body: request });
    // The same request as HTTP would deliver it is another object: it needs its signature.
    expect(takeHandedOverPrincipal({ audience: 'catalog', body: JSON.parse(JSON.stringify(request)) })).toBeNull();
    expect(takeHandedOverPrincipal({ audience: 'catalog', body: request })).toEqual({
      ...alice,
      kind: 'staff',
      storefronts: ['s1', 's2'],
      locale: 'en-IE',
      clientIp: null,
    });
    expect(takeHandedOverPrincipal({ audience: 'catalog', body: request })).toBeNull();
    handOverPrincipal(alice, { audience: 'catalog', body: request });
    expect(takeHandedOverPrincipal({ audience: 'customer', body: request })).toBeNull();
    expect(takeHandedOverPrincipal({ audience: 'catalog', body: request })).toBeNull();
  });

  it('rejects it after a few seconds', () => {
    const signedAt = Date.now();
    const header = signPrincipal(alice, secret, binding, signedAt);
    expect(verifyPrincipal(header, secret, binding, signedAt + PRINCIPAL_TTL_MS - 1)).not.toBeNull();
    expect(verifyPrincipal(header, secret, binding, signedAt + PRINCIPAL_TTL_MS + 1)).toBeNull();
    expect(PRINCIPAL_TTL_MS).toBeLessThanOrEqual(10_000);
  });

  it('rejects a principal signed with another secret', () => {
    expect(verifyPrincipal(signPrincipal(alice, 'y'.repeat(40), binding), secret, binding)).toBeNull();
  });

  it('rejects a tampered payload: other identity, audience, digest or expiry under the old MAC', () => {
    const [payload, mac] = signPrincipal(alice, secret, binding).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    for (const change of [{ id: 'c2' }, { scopes: ['*'] }, { aud: 'customer' }, { dig: 'x' }, { exp: claims.exp + 60_000 }]) {
      const forged = Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url');
      expect(verifyPrincipal(`${forged}.${mac}`, secret, binding)).toBeNull();
    }
  });

  it('rejects garbage', () => {
    for (const bad of [undefined, '', 'abc', '.', 'a.b', `${Buffer.from('{}').toString('base64url')}.`]) {
      expect(verifyPrincipal(bad, secret, binding)).toBeNull();
    }
  });
});

describe('service principals', () => {
  it('carry only the scopes named and the storefront given', () => {
    expect(servicePrincipal('router', null, [SERVICE_SCOPES.apiKeyVerify])).toMatchObject({
      kind: 'service',
      storefrontId: null,
      scopes: ['apikey:verify'],
    });
    expect(servicePrincipal('cart', 's1', [SERVICE_SCOPES.promotionEvaluate]).scopes).not.toContain('*');
  });

  it('carry the account they act for, signed: tampering with it breaks the signature', () => {
    const service = forAccount(servicePrincipal('cart', 's1', [SERVICE_SCOPES.accountPricing]), { customerId: 'c9', segment: 'smb' });
    const header = signPrincipal(service, secret, binding);
    expect(verifyPrincipal(header, secret, binding)?.account).toEqual({ customerId: 'c9', segment: 'smb' });
    expect(verifyPrincipal(signPrincipal(servicePrincipal('cart', 's1', []), secret, binding), secret, binding)?.account).toBeUndefined();
    const [payload, mac] = header.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, account: { customerId: 'c1', segment: 'smb' } })).toString('base64url');
    expect(verifyPrincipal(`${forged}.${mac}`, secret, binding)).toBeNull();
  });
});

describe('hasScope', () => {
  const withScopes = (scopes: string[]): Principal => ({ ...alice, scopes });
  it('matches exact, module wildcard and global wildcard', () => {
    expect(hasScope(withScopes(['catalog:write']), 'catalog:write')).toBe(true);
    expect(hasScope(withScopes(['catalog:*']), 'catalog:write')).toBe(true);
    expect(hasScope(withScopes(['*']), 'catalog:write')).toBe(true);
    expect(hasScope(withScopes(['catalog:read']), 'catalog:write')).toBe(false);
    expect(hasScope(withScopes(['customer:*']), 'catalog:write')).toBe(false);
  });
});
