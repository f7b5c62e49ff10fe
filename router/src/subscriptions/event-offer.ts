import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { PublicOfferFields } from '@dcrm/kit/events.js';
import { type FieldNode, Kind, type SelectionSetNode } from 'graphql';
import { fetchOperation } from './fetch-text.js';
import { CONTEXT_FIELDS, type View } from './view.js';

/** The subgraph that owns `Offer`: the one fetch an event's own copy of the offer can answer. */
const OWNER = 'promotion';

/**
 * Offer fields an event's copy may answer: the ones every subscriber of the storefront may read
 * (view.ts), but `product`, which is answered as a reference below. A field the event lacks reads as
 * `undefined`: not carried, so fetched.
 */
const OFFER_FIELDS = new Set([...CONTEXT_FIELDS.Offer].filter((field) => field !== 'product'));

/**
 * The offer an event carries, if this view's lookup may be answered from it: a view shared by pricing
 * context (view.ts: a public-offer subscription selecting fields anyone of the storefront may read,
 * looked up without the subscriber's identity), the offer of this event, of the subscriber's own
 * storefront, and not yet past its end (promotion then answers EXPIRED: asked again, not guessed).
 */
export function eventOffer(event: unknown, offerId: string, view: View, now = Date.now()): PublicOfferFields | undefined {
  if (!view.byContext) return undefined;
  const offer = (event as { offer?: PublicOfferFields } | null)?.offer;
  if (!offer || typeof offer !== 'object' || offer.id !== offerId) return undefined;
  if (!view.principal.storefrontId || offer.storefrontId !== view.principal.storefrontId) return undefined;
  if (offer.expiresAt !== null && !(Date.parse(offer.expiresAt) > now)) return undefined;
  return offer;
}

type Request = Pick<GatewayGraphQLRequest, 'query' | 'variables'>;

/**
 * The gateway's `offer(id:)` fetch from promotion, answered from the event's copy of the offer: the
 * planner's selection of it (aliases, `__typename`, inline fragments on `Offer`, the `product`
 * reference). Null — fetch as usual — for any other fetch, another offer, or a selection it does not
 * carry (directives, spreads, another field).
 */
export function answerFromEvent(subgraph: string, request: Request, offer: PublicOfferFields): GatewayGraphQLResponse | null {
  if (subgraph !== OWNER || !request.query) return null;
  const operation = fetchOperation(request.query);
  const [root, ...more] = operation?.operation === 'query' ? operation.selectionSet.selections : [];
  if (!root || more.length > 0 || root.kind !== Kind.FIELD || root.name.value !== 'offer' || root.directives?.length) return null;
  const [id, ...other] = root.arguments ?? [];
  if (!id || other.length > 0 || id.name.value !== 'id') return null;
  const asked =
    id.value.kind === Kind.VARIABLE ? request.variables?.[id.value.name.value] : id.value.kind === Kind.STRING ? id.value.value : null;
  if (asked !== offer.id || !root.selectionSet) return null;
  const data = project(root.selectionSet, 'Offer', (field) => offerField(field, offer));
  return data ? { data: { [root.alias?.value ?? 'offer']: data } } : null;
}

/** A field's value, or `undefined`: not carried. */
type Value = (field: FieldNode) => unknown;

function offerField(field: FieldNode, offer: PublicOfferFields): unknown {
  const name = field.name.value;
  if (OFFER_FIELDS.has(name) && !field.selectionSet) return offer[name as keyof PublicOfferFields];
  if (name !== 'product' || !field.selectionSet) return undefined;
  if (!offer.productId) return null;
  const ref = { __typename: 'Product', id: offer.productId };
  return project(field.selectionSet, 'Product', (f) => (f.name.value === 'id' && !f.selectionSet ? ref.id : undefined)) ?? undefined;
}

function project(selectionSet: SelectionSetNode, typename: string, value: Value): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) return null;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition?.name.value;
      if (on !== undefined && on !== typename) return null;
      const inner = project(selection.selectionSet, typename, value);
      if (!inner) return null;
      Object.assign(out, inner);
      continue;
    }
    if (selection.kind !== Kind.FIELD || selection.arguments?.length) return null;
    const key = selection.alias?.value ?? selection.name.value;
    const v = selection.name.value === '__typename' ? typename : value(selection);
    // Not carried, or the same key twice (sub-selections to merge): leave it to promotion.
    if (v === undefined || key in out) return null;
    out[key] = v;
  }
  return out;
}
