import { describe, expect, it } from 'vitest';
import type { IAuditRecord } from './audit-record.js';
import { checkAuditFilter, toAuditView } from './audit-trail.js';
import { deployedSubgraphs } from './subgraph.js';

describe('audit trail reading', () => {
  it('shows a diff as JSON text per field, secrets as redacted without values', () => {
    const row = {
      id: '0190a000-0000-7000-8000-000000000001',
      entityType: 'Customer',
      entityId: 'c1',
      action: 'UPDATE',
      actorKind: 'staff',
      actorId: 's1',
      storefrontId: null,
      customerId: null,
      requestId: 'r1',
      traceId: null,
      diff: { name: { from: 'A', to: 'B' }, passwordHash: { redacted: true }, consents: { from: [], to: [{ channel: 'SMS' }] } },
      createdAt: new Date('2026-11-30T00:00:00Z'),
    } as IAuditRecord;
    expect(toAuditView('customer', row)).toMatchObject({
      source: 'customer',
      createdAt: '2026-11-30T00:00:00.000Z',
      changes: [
        { field: 'consents', from: '[]', to: '[{"channel":"SMS"}]', redacted: false },
        { field: 'name', from: '"A"', to: '"B"', redacted: false },
        { field: 'passwordHash', from: null, to: null, redacted: true },
      ],
    });
  });

  it('refuses an entity id without its type and a customer id that is not a UUID', () => {
    expect(() => checkAuditFilter({ entityId: 'x' })).toThrow(/needs entityType/);
    expect(() => checkAuditFilter({ customerId: 'nope' })).toThrow(/UUID/);
    expect(() => checkAuditFilter({ entityType: 'Cart', entityId: 'x' })).not.toThrow();
  });

  it('finds the deployment’s subgraphs in DCRM_SUBGRAPHS, else in the <NAME>_URL variables', () => {
    expect(deployedSubgraphs('customer', { DCRM_SUBGRAPHS: 'catalog, cart' })).toEqual(['customer', 'catalog', 'cart']);
    expect(deployedSubgraphs('customer', { CATALOG_URL: 'http://c/graphql', PROMOTION_URL: 'http://p/graphql' })).toEqual([
      'customer',
      'catalog',
      'promotion',
    ]);
    expect(deployedSubgraphs('cart', {})).toEqual(['cart']);
  });
});
