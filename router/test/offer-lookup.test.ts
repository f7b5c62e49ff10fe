import { getOperationAST, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { lookupQuery } from '../src/offer-lookup.js';

function rewrite(subscription: string): string {
  const document = parse(subscription);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  const field = operation.selectionSet.selections[0];
  if (field.kind !== Kind.FIELD) throw new Error('not a field');
  return lookupQuery(document, operation.name?.value, operation.variableDefinitions ?? [], field);
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('subscription → offer lookup', () => {
  it('keeps the selection and the response key, with the offer id as a variable', () => {
    expect(squash(rewrite('subscription Live { offerReceived { id title product { name } } }'))).toBe(
      'query Live($__offerId: ID!) { offerReceived: offer(id: $__offerId) { id title product { name } } }',
    );
  });

  it('keeps an alias, the client variables and only the fragments the selection uses', () => {
    const text = rewrite(`subscription ($locale: String) { mine: storefrontOffers { ...OfferBits } }
      fragment OfferBits on Offer { id title product { ...ProductBits } }
      fragment ProductBits on Product { name }
      fragment Unused on Offer { message }`);
    expect(squash(text)).toContain('query ($__offerId: ID!, $locale: String) { mine: offer(id: $__offerId) { ...OfferBits } }');
    expect(text).toContain('fragment OfferBits on Offer');
    expect(text).toContain('fragment ProductBits on Product');
    expect(text).not.toContain('Unused');
  });

  it('gives the same text for the same subscription (one cached query plan)', () => {
    const s = 'subscription { offerReceived { id } }';
    expect(rewrite(s)).toBe(rewrite(s));
  });
});
