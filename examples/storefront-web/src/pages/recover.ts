import { recoverDropLink } from '@dcrm/storefront-sdk';
import type { Page } from '../app.js';
import { h, notice } from '../dom.js';
import { href } from '../router.js';
import { linesTable, totalsTable } from './cart-view.js';
import { productCard } from './shared.js';

/** `#/recover?token=dl_…`: the page a cart or browse reminder links to (`DCRM_RECOVER_URL`), on any device. */
export const recoverPage: Page = async (app, route) => {
  const token = route.query.get('token');
  if (!token) return h('div', null, h('h1', null, 'Pick up where you left off'), notice('This link is incomplete.'));
  const { data, errors } = await recoverDropLink(app.client, { token });
  const payload = data?.dropLinkRecover;
  const recovery = payload?.recovery;
  if (!recovery)
    return h(
      'div',
      { class: 'recover' },
      h('h1', null, 'Pick up where you left off'),
      notice(payload?.userErrors.map((e) => e.message).join(' ') || errors?.[0]?.message || 'This link cannot be opened.'),
      h('p', null, h('a', { href: href('/') }, 'Browse the shop')),
    );

  if (recovery.kind === 'CART' && recovery.cart) {
    app.cart.remember(recovery.cart, recovery.cartToken);
    return h(
      'div',
      { class: 'recover', 'data-kind': 'CART' },
      h('h1', null, 'Your cart is waiting'),
      linesTable(app, recovery.cart.lines),
      totalsTable(app, recovery.cart.totals),
      h('p', { class: 'actions' }, h('a', { class: 'button', href: href('/cart') }, 'Go to your cart')),
    );
  }
  return h(
    'div',
    { class: 'recover', 'data-kind': 'BROWSE' },
    h('h1', null, 'Still thinking about these?'),
    h(
      'div',
      { class: 'product-grid' },
      (recovery.viewedProducts ?? []).map((p) => productCard(app, p)),
    ),
  );
};
