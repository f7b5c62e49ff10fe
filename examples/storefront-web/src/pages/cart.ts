import type { Page } from '../app.js';
import type { Cart, CartChange } from '../cart-store.js';
import { h, notice } from '../dom.js';
import { href } from '../router.js';
import { linesTable, totalsTable } from './cart-view.js';

export const cartPage: Page = async (app) => {
  const view = h('div', { class: 'cart' });
  const status = h('div', { role: 'status' });

  const render = (cart: Cart | null) => {
    if (!cart || cart.lines.length === 0) {
      view.replaceChildren(
        h('h1', null, 'Your cart'),
        h('p', null, 'Your cart is empty. ', h('a', { href: href('/') }, 'Browse the shop')),
        status,
      );
      return;
    }
    const apply = async (run: () => Promise<CartChange>) => {
      const { cart: next, userErrors } = await run();
      status.replaceChildren(userErrors.length ? notice(userErrors.map((e) => e.message).join(' ')) : '');
      if (next) render(next);
    };
    const controls = (line: { id: string; quantity: number; parentLineId?: string | null }) =>
      h(
        'span',
        { class: 'line-controls' },
        h('input', {
          type: 'number',
          min: '0',
          max: '10',
          value: String(line.quantity),
          'aria-label': 'Quantity',
          onchange: (e: Event) => {
            const quantity = Number((e.target as HTMLInputElement).value);
            if (Number.isInteger(quantity) && quantity >= 0) void apply(() => app.cart.update([{ id: line.id, quantity }]));
          },
        }),
        h('button', { type: 'button', class: 'link-button', onclick: () => void apply(() => app.cart.remove([line.id])) }, 'Remove'),
      );
    view.replaceChildren(
      h('h1', null, 'Your cart'),
      linesTable(app, cart.lines, controls),
      totalsTable(app, cart.totals),
      status,
      // Promo codes: the API has cartPromoCodeApply, the SDK does not expose it yet.
      h(
        'p',
        { class: 'actions' },
        h('a', { class: 'button', href: href('/checkout') }, 'Checkout'),
        ' ',
        h('a', { href: href('/') }, 'Keep shopping'),
      ),
    );
  };

  render(await app.cart.load());
  return view;
};
