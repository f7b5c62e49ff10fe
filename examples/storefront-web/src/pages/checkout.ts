import { checkout, isNetworkError, newIdempotencyKey } from '@dcrm/storefront-sdk';
import type { Page } from '../app.js';
import { h, notice } from '../dom.js';
import { href } from '../router.js';
import { linesTable, totalsTable } from './cart-view.js';
import { requireSignIn } from './shared.js';

export const checkoutPage: Page = async (app) => {
  const gate = await requireSignIn(app, '/checkout');
  if (gate) return gate;
  const cart = await app.cart.load();
  const ref = app.cart.ref();
  if (!cart || !ref || cart.lines.length === 0)
    return h('div', null, h('h1', null, 'Checkout'), h('p', null, 'Your cart is empty. ', h('a', { href: href('/') }, 'Browse the shop')));

  // One key per attempt at this cart: a retry after a network failure reuses it, so it can never order twice.
  const idempotencyKey = newIdempotencyKey();
  const status = h('div', { role: 'status' });
  const place = h('button', { type: 'button', class: 'button', 'data-testid': 'place-order' }, 'Place order');
  place.addEventListener('click', async () => {
    place.disabled = true;
    status.replaceChildren(h('p', { class: 'muted' }, 'Placing your order…'));
    try {
      const { data, errors } = await checkout(app.client, { cart: ref, idempotencyKey });
      const payload = data?.cartCheckout;
      if (payload?.order) {
        app.cart.clear();
        app.navigate(`/orders/${payload.order.id}`, { placed: 1 });
        return;
      }
      const messages = payload?.userErrors.map((e) => e.message) ?? errors?.map((e) => e.message) ?? [];
      status.replaceChildren(
        notice(messages.join(' ') || 'The order could not be placed.'),
        payload?.userErrors.some((e) => e.code === 'CONFLICT') ? h('a', { href: href('/cart') }, 'Review your cart') : '',
      );
    } catch (error) {
      status.replaceChildren(
        notice(
          isNetworkError(error) ? 'We could not reach the shop. Your order was not placed twice: try again.' : 'Something went wrong.',
        ),
      );
    } finally {
      place.disabled = false;
    }
  });

  return h(
    'div',
    { class: 'checkout' },
    h('h1', null, 'Checkout'),
    linesTable(app, cart.lines),
    totalsTable(app, cart.totals),
    h('p', { class: 'actions' }, place, ' ', h('a', { href: href('/cart') }, 'Back to cart')),
    status,
  );
};
