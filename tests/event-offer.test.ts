import type { PublicOfferFields } from '@dcrm/kit';
import { describe, expect, it } from 'vitest';
import { answerFromEvent, eventOffer } from '../router/src/subscriptions/event-offer.js';
import type { View } from '../router/src/subscriptions/view.js';

/** What a live event's copy of a public offer answers of the gateway's fetches, and for whom it is used at all. */
const ID = '00000000-0000-4000-8000-000000000001';
const STOREFRONT = '00000000-0000-4000-8000-0000000000aa';
const PRODUCT = '00000000-0000-4000-8000-0000000000bb';
const offer: PublicOfferFields = {
  id: ID,
  storefrontId: STOREFRONT,
  source: 'STOREFRONT',
  title: 'Half price',
  message: 'm',
  content: null,
  link: null,
  imageUrl: null,
  couponCode: 'HALF',
  productId: PRODUCT,
  score: 12.5,
  status: 'NEW',
  createdAt: '2026-12-01T00:00:00.000Z',
  expiresAt: '2026-12-04T00:00:00.000Z',
};
const view = (byContext: boolean, storefrontId: string | null = STOREFRONT): View => ({
  key: 'k',
  byContext,
  principal: { kind: 'anonymous', id: null, storefrontId, partnerId: null, roles: [], scopes: [] },
});
const fetch = (query: string, variables: Record<string, unknown> = { a: ID }) => answerFromEvent('promotion', { query, variables }, offer);

describe('answerFromEvent', () => {
  it("answers the root offer fetch with the planner's selection: aliases, __typename, inline fragments, the product reference", () => {
    const query = `query Q($a: ID!) { mine: offer(id: $a) { __typename id t: title ... on Offer { couponCode score } product { __typename id } } }`;
    expect(fetch(query)).toEqual({
      data: {
        mine: {
          __typename: 'Offer',
          id: ID,
          t: 'Half price',
          couponCode: 'HALF',
          score: 12.5,
          product: { __typename: 'Product', id: PRODUCT },
        },
      },
    });
  });

  it('leaves to promotion what the copy does not carry, another offer, entity fetches and other subgraphs', () => {
    expect(fetch('query ($a: ID!) { offer(id: $a) { id customer { id } } }')).toBeNull();
    expect(fetch('query ($a: ID!) { offer(id: $a) { id campaign { name } } }')).toBeNull();
    expect(fetch('query ($a: ID!, $s: Boolean!) { offer(id: $a) { id @skip(if: $s) } }', { a: ID, s: false })).toBeNull();
    expect(fetch('query ($a: ID!) { offer(id: $a) { id product { name } } }')).toBeNull();
    expect(fetch('query ($a: ID!) { offer(id: $a) { id } }', { a: PRODUCT })).toBeNull();
    expect(fetch('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Offer { id } } }', { r: [] })).toBeNull();
    expect(answerFromEvent('catalog', { query: 'query ($a: ID!) { offer(id: $a) { id } }', variables: { a: ID } }, offer)).toBeNull();
  });
});

describe('eventOffer', () => {
  const now = Date.parse('2026-12-02T00:00:00Z');
  it('is used for a view shared by pricing context, for this event, in the subscriber’s storefront, before the offer ends', () => {
    expect(eventOffer({ offerId: ID, offer }, ID, view(true), now)).toBe(offer);
    expect(eventOffer({ offerId: ID, offer }, ID, view(false), now)).toBeUndefined();
    expect(eventOffer({ offerId: ID, offer }, PRODUCT, view(true), now)).toBeUndefined();
    expect(eventOffer({ offerId: ID, offer }, ID, view(true, PRODUCT), now)).toBeUndefined();
    expect(eventOffer({ offerId: ID, offer }, ID, view(true), Date.parse(offer.expiresAt as string))).toBeUndefined();
    expect(eventOffer({ offerId: ID }, ID, view(true), now)).toBeUndefined();
  });
});
