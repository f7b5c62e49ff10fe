import type { CartErrorCode, CartUserErrorFieldsFragment } from '@dcrm/storefront-sdk';
import type { Page } from '../app.js';
import type { Cart, CartChange } from '../cart-store.js';
import { h, notice } from '../dom.js';
import { href } from '../router.js';
import { discountsList, linesTable, totalsTable } from './cart-view.js';

/** Why a promo code was refused, in the shopper's words; other errors keep the API's message. */
const CODE_PROBLEMS: Partial<Record<CartErrorCode, string>> = {
  EXPIRED: 'This code has expired.',
  NOT_STARTED: 'This code is not valid yet.',
  EXHAUSTED: 'This code has been used up.',
  CUSTOMER_LIMIT: 'You have already used this code as often as allowed.',
  INELIGIBLE: 'This code does not apply to your cart.',
  NOT_COMBINABLE: 'This code cannot be combined with the other discounts in your cart.',
  UNKNOWN_CODE: "We don't know that code.",
  COUPON_REQUIRES_SIGN_IN: 'Sign in to use this code.',
};

const promoMessage = (error: CartUserErrorFieldsFragment) => CODE_PROBLEMS[error.code] ?? error.message;

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
    /** Runs a cart change: its userErrors go to the status area, the changed cart is shown. */
    const apply = async (
      run: () => Promise<CartChange>,
      options: { message?: (e: CartUserErrorFieldsFragment) => string; done?: string } = {},
    ) => {
      const { cart: next, userErrors } = await run();
      const message = options.message ?? ((e: CartUserErrorFieldsFragment) => e.message);
      if (userErrors.length)
        status.replaceChildren(
          notice(userErrors.map(message).join(' ')),
          userErrors.some((e) => e.code === 'COUPON_REQUIRES_SIGN_IN')
            ? h('p', null, h('a', { href: href('/sign-in', { next: '/cart' }) }, 'Sign in'))
            : '',
        );
      else status.replaceChildren(options.done ? notice(options.done, 'info') : '');
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

    // Promo codes: a small form, then the codes on the cart (a code can stay on the cart without applying).
    const input = h('input', {
      id: 'promo-code',
      name: 'code',
      type: 'text',
      required: true,
      maxlength: '64',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const applyButton = h('button', { type: 'submit' }, 'Apply');
    const form = h(
      'form',
      {
        class: 'promo-form',
        'aria-label': 'Promo code',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const code = input.value.trim();
          if (!code) return;
          applyButton.disabled = true;
          try {
            await apply(() => app.cart.applyCode(code), { message: promoMessage, done: `Code ${code.toUpperCase()} applied.` });
          } finally {
            applyButton.disabled = false;
          }
        },
      },
      h('label', { for: 'promo-code' }, 'Promo code'),
      h('span', { class: 'promo-entry' }, input, applyButton),
    );
    const applying = (code: string) => (cart.discounts ?? []).some((d) => d.couponCode?.toUpperCase() === code.toUpperCase());
    const codes =
      cart.promoCodes.length > 0
        ? h(
            'ul',
            { class: 'promo-codes', 'aria-label': 'Promo codes' },
            cart.promoCodes.map((code) =>
              h(
                'li',
                { class: 'promo-code', 'data-code': code },
                h('code', null, code),
                applying(code) ? null : h('span', { class: 'badge warn muted' }, ' (not applying)'),
                ' ',
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'link-button',
                    'aria-label': `Remove code ${code}`,
                    onclick: () => void apply(() => app.cart.removeCode(code), { message: promoMessage }),
                  },
                  'Remove',
                ),
              ),
            ),
          )
        : null;

    view.replaceChildren(
      h('h1', null, 'Your cart'),
      linesTable(app, cart.lines, controls),
      h(
        'div',
        { class: 'cart-summary' },
        h('section', { class: 'promo', 'aria-label': 'Promo codes and discounts' }, form, codes, discountsList(app, cart.discounts)),
        totalsTable(app, cart.totals),
      ),
      status,
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
