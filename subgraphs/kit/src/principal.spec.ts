import { describe, expect, it } from 'vitest';
import { hasScope, type Principal, signPrincipal, verifyPrincipal } from './principal.js';

const secret = 'x'.repeat(40);
const alice: Principal = { kind: 'customer', id: 'c1', storefrontId: 's1', partnerId: null, roles: ['segment:smb'], scopes: [] };

describe('signed principal', () => {
  it('round-trips', () => {
    expect(verifyPrincipal(signPrincipal(alice, secret), secret)).toEqual({ ...alice, clientIp: null });
  });

  it('rejects a principal signed with another secret', () => {
    expect(verifyPrincipal(signPrincipal(alice, 'y'.repeat(40)), secret)).toBeNull();
  });

  it('rejects a tampered payload', () => {
    const [, mac] = signPrincipal(alice, secret).split('.');
    const forged = Buffer.from(JSON.stringify({ ...alice, id: 'c2', exp: Date.now() / 1000 + 60 })).toString('base64url');
    expect(verifyPrincipal(`${forged}.${mac}`, secret)).toBeNull();
  });

  it('rejects an expired one', () => {
    const header = signPrincipal(alice, secret, Date.now() - 120_000);
    expect(verifyPrincipal(header, secret)).toBeNull();
  });

  it('rejects garbage', () => {
    for (const bad of [undefined, '', 'abc', '.', 'a.b', `${Buffer.from('{}').toString('base64url')}.`]) {
      expect(verifyPrincipal(bad, secret)).toBeNull();
    }
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
