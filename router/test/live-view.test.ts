import type { Principal } from '@dcrm/kit/principal.js';
import { loadView } from '@dcrm/schema';
import { buildSchema, getOperationAST, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { lookupQuery } from '../src/offer-lookup.js';
import { contextPrincipal, readsContextOnly, viewOf } from '../src/subscriptions/view.js';

const schema = buildSchema(loadView('storefront'));

function lookupOf(subscription: string) {
  const document = parse(subscription);
  const operation = getOperationAST(document);
  const field = operation?.selectionSet.selections[0];
  if (!operation || field?.kind !== Kind.FIELD) throw new Error('not a subscription field');
  return parse(lookupQuery(document, operation.name?.value, operation.variableDefinitions ?? [], field));
}

const customer = (id: string, more: Partial<Principal> = {}): Principal => ({
  kind: 'customer',
  id,
  storefrontId: 'volt',
  partnerId: null,
  roles: ['segment:consumer'],
  scopes: [],
  clientIp: `10.0.0.${id.length}`,
  ...more,
});
const SHAPE = { query: 'query { storefrontOffers: offer(id: $__offerId) { id } }', operationName: undefined, variables: {} };

describe('live offer views', () => {
  it('shares by context only what the audit lists: prices, texts and product fields, not the viewer’s own offers or account', () => {
    const priced = `subscription { storefrontOffers { id title status product { name description category { name productCount }
      attributes { label value } images { url } price { amount { amount } displayAmount { amount currencyCode } taxRate priceList { id scope } }
      bundleItems { name } } ...More } } fragment More on Offer { __typename couponCode expiresAt }`;
    expect(readsContextOnly(schema, lookupOf(priced))).toBe(true);
    expect(readsContextOnly(schema, lookupOf('subscription { storefrontOffers { id product { offers { nodes { id } } } } }'))).toBe(false);
    expect(readsContextOnly(schema, lookupOf('subscription { storefrontOffers { id customer { id } } }'))).toBe(false);
    // A per-viewer field behind a fragment counts too.
    const hidden =
      'subscription { storefrontOffers { ...P } } fragment P on Offer { product { compatibleAddons { offers { nodes { id } } } } }';
    expect(readsContextOnly(schema, lookupOf(hidden))).toBe(false);
  });

  it('keys a context by storefront, kind, segments, negotiated list, language and country, never by who the subscriber is', () => {
    const a = viewOf(SHAPE, customer('a'), true, null);
    const b = viewOf(SHAPE, customer('bb'), true, null);
    expect(b.key).toBe(a.key);
    expect(a.principal.id).toBeNull();
    expect(a.principal.clientIp).toBeUndefined();
    expect(a.principal).toEqual(contextPrincipal(customer('bb'), null));

    const differs = [
      viewOf(SHAPE, customer('a', { roles: ['segment:smb'] }), true, null), // business: ex-tax, its segment's prices
      viewOf(SHAPE, customer('a', { storefrontId: 'nimbus' }), true, null),
      viewOf(SHAPE, customer('a', { locale: 'fr' }), true, null),
      viewOf(SHAPE, customer('a', { locale: 'fr', country: 'BE' }), true, null),
      viewOf(SHAPE, { ...customer('a'), kind: 'anonymous', roles: ['api-key'], scopes: ['storefront'] }, true, null),
      viewOf({ ...SHAPE, variables: { first: 2 } }, customer('a'), true, null),
      viewOf(SHAPE, customer('a'), true, 'list-a'),
    ];
    expect(new Set([a.key, ...differs.map((v) => v.key)]).size).toBe(differs.length + 1);
    expect(viewOf(SHAPE, customer('a', { locale: 'fr' }), true, null).principal.locale).toBe('fr');
  });

  it('runs a negotiated list’s holder as themselves, and per principal when sharing is not allowed or the list is not known', () => {
    const own = viewOf(SHAPE, customer('a'), true, 'list-a');
    expect(own.principal.id).toBe('a');
    expect(own.key).not.toBe(viewOf(SHAPE, customer('bb'), true, 'list-a').key);

    for (const view of [viewOf(SHAPE, customer('a'), false, null), viewOf(SHAPE, customer('a'), true, undefined)]) {
      expect(view.principal).toEqual(customer('a'));
      expect(view.key).not.toBe(viewOf(SHAPE, customer('bb'), false, null).key);
    }
    const staff: Principal = { ...customer('s'), kind: 'staff', roles: ['staff', 'segment:*'] };
    expect(viewOf(SHAPE, staff, true, null).principal).toEqual(staff);
    // The client address alone does not split a principal's view.
    expect(viewOf(SHAPE, { ...customer('a'), clientIp: '192.0.2.1' }, false, null).key).toBe(viewOf(SHAPE, customer('a'), false, null).key);
  });
});
