import { describe, expect, it } from 'vitest';
import { mayWriteRow } from './brand-guard.js';
import {
  actingStorefront,
  brandCondition,
  brandsOf,
  brandWhere,
  mayActOn,
  mayActOnAll,
  mayActOnEveryBrand,
  ownedRow,
  unseenIds,
} from './brands.js';
import type { Principal } from './principal.js';

const base: Principal = { kind: 'staff', id: 's', storefrontId: 'volt', partnerId: null, roles: [], scopes: [] };

describe('brand scope', () => {
  it('defaults to the request storefront', () => {
    expect(brandsOf(base)).toEqual(['volt']);
    expect(mayActOn(base, 'volt')).toBe(true);
    expect(mayActOn(base, 'nimbus')).toBe(false);
    expect(brandCondition(base)).toEqual({ $in: ['volt'] });
  });

  it('follows the granted list, and * only when granted explicitly', () => {
    const multi = { ...base, storefronts: ['volt', 'nimbus'] };
    expect(mayActOnAll(multi, ['volt', 'nimbus'])).toBe(true);
    expect(mayActOnAll(base, ['volt', 'nimbus'])).toBe(false);
    const all = { ...base, storefronts: ['*'] };
    expect(mayActOn(all, 'anything')).toBe(true);
    expect(brandCondition(all)).toBeUndefined();
  });

  it('grants nothing without a storefront, except to a service principal that names none', () => {
    expect(brandsOf({ ...base, storefrontId: null })).toEqual([]);
    expect(mayActOn({ ...base, storefrontId: null }, 'volt')).toBe(false);
    expect(mayActOn({ ...base, kind: 'service', storefrontId: null }, 'volt')).toBe(true);
    expect(mayActOn(base, null)).toBe(false);
  });

  it('brandWhere restricts a lookup unless all brands are granted', () => {
    expect(brandWhere(base, 'storefront')).toEqual({ storefront: { $in: ['volt'] } });
    expect(brandWhere({ ...base, storefronts: ['*'] }, 'storefrontId')).toEqual({});
    expect(mayActOnEveryBrand({ ...base, storefronts: ['*'] })).toBe(true);
    expect(mayActOnEveryBrand(base)).toBe(false);
  });

  it('mayWriteRow reads a brand from an id or a reference, and ignores rows without one', () => {
    expect(mayWriteRow(base, { storefrontId: 'volt' })).toBe(true);
    expect(mayWriteRow(base, { storefront: { id: 'nimbus' } })).toBe(false);
    expect(mayWriteRow(base, { storefront: 'nimbus' })).toBe(false);
    expect(mayWriteRow(base, { name: 'global row' })).toBe(true);
    expect(mayWriteRow(base, undefined)).toBe(true);
  });

  it('acts on the request storefront only when granted, and hides rows of other brands', () => {
    expect(actingStorefront(base)).toBe('volt');
    expect(actingStorefront({ ...base, storefronts: ['nimbus'] })).toBeNull();
    expect(actingStorefront({ ...base, storefrontId: null, storefronts: ['*'] })).toBeNull();
    const row = { id: 'r', storefrontId: 'nimbus' };
    expect(ownedRow(base, row)).toBeNull();
    expect(ownedRow({ ...base, storefronts: ['volt', 'nimbus'] }, row)).toBe(row);
    expect(ownedRow(base, null)).toBeNull();
    expect(unseenIds(['a', 'b', 'c', 'b'], [{}, null, {}, null])).toEqual(['b']);
  });
});
