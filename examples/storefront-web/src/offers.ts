import {
  getLiveOffers,
  markOfferSeen,
  type OfferFieldsFragment,
  onOfferReceived,
  onStorefrontOffer,
  type Session,
} from '@dcrm/storefront-sdk';
import type { App } from './app.js';
import { h } from './dom.js';
import { href } from './router.js';

type Shown = { offer: OfferFieldsFragment; personal: boolean; live: boolean };

/**
 * The live-offer banner: the brand's newest public offer on load, then every offer as it is published
 * (`storefrontOffers`, any shopper) and, while a customer is signed in, their personal offers
 * (`offerReceived`), which take precedence. Returns the function that stops both subscriptions.
 */
export function mountOfferBanner(app: App, slot: HTMLElement): () => void {
  let shown: Shown | null = null;
  const dismissed = new Set<string>();

  const render = () => {
    if (!shown || dismissed.has(shown.offer.id)) {
      slot.replaceChildren();
      slot.hidden = true;
      return;
    }
    const { offer, personal, live } = shown;
    const target = offer.product ? href(`/product/${offer.product.slug}`) : offer.link;
    slot.hidden = false;
    slot.replaceChildren(
      h(
        'aside',
        { class: 'offer-banner', 'data-offer-id': offer.id, 'data-personal': personal ? 'true' : 'false', 'aria-label': 'Offer' },
        h('span', { class: 'offer-badge' }, personal ? 'For you' : live ? 'Live offer' : 'Offer'),
        h('strong', { class: 'offer-title' }, offer.title),
        h('span', { class: 'offer-message' }, offer.message),
        offer.couponCode ? h('span', { class: 'offer-code' }, 'Code ', h('code', null, offer.couponCode)) : null,
        target ? h('a', { class: 'offer-link', href: target }, offer.product ? `See ${offer.product.name}` : 'See offer') : null,
        h(
          'button',
          {
            type: 'button',
            class: 'offer-dismiss',
            'aria-label': 'Dismiss offer',
            onclick: () => {
              dismissed.add(offer.id);
              render();
            },
          },
          '×',
        ),
      ),
    );
  };

  const show = (offer: OfferFieldsFragment, personal: boolean, live: boolean) => {
    // A public offer does not push a personal one aside.
    if (!personal && shown?.personal && !dismissed.has(shown.offer.id)) return;
    shown = { offer, personal, live };
    render();
    if (personal) void markOfferSeen(app.client, { id: offer.id }).catch(() => {});
  };

  getLiveOffers(app.client, { first: 1 }).then(
    ({ data }) => {
      const newest = data?.storefrontLiveOffers.nodes[0];
      if (newest && !shown) show(newest, false, false);
    },
    () => {},
  );

  const stopPublic = onStorefrontOffer(
    app.client,
    ({ data }) => {
      if (data) show(data.storefrontOffers, false, true);
    },
    { onError: (error) => console.warn('storefrontOffers ended:', error.message) },
  );

  let stopPersonal: (() => void) | null = null;
  const follow = (session: Session | null) => {
    stopPersonal?.();
    stopPersonal = null;
    if (shown?.personal && !session) {
      shown = null;
      render();
    }
    if (!session) return;
    stopPersonal = onOfferReceived(
      app.client,
      ({ data }) => {
        if (data) show(data.offerReceived, true, true);
      },
      { onError: (error) => console.warn('offerReceived ended:', error.message) },
    );
  };
  void app.session().then(follow);
  const unlisten = app.client.auth.onChange(follow);

  return () => {
    unlisten();
    stopPublic();
    stopPersonal?.();
  };
}
