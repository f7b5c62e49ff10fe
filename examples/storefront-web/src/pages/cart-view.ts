import type { CartTotalsFieldsFragment, MoneyFieldsFragment } from '@dcrm/storefront-sdk';
import type { App } from '../app.js';
import { h } from '../dom.js';

type Line = {
  id: string;
  name: string;
  quantity: number;
  parentLineId?: string | null;
  available?: boolean;
  recurringPrice: MoneyFieldsFragment | null;
  oneOffPrice: MoneyFieldsFragment | null;
  /** Cart lines carry the tax-inclusive unit prices too (order lines do not). */
  recurringPriceWithTax?: MoneyFieldsFragment | null;
  oneOffPriceWithTax?: MoneyFieldsFragment | null;
  deposit: MoneyFieldsFragment | null;
};

/** Whether this buyer is shown amounts with tax (shoppers and consumers) or without (business accounts). */
export const showsTax = (app: App) => app.storefront.taxDisplay === 'INCLUDING_TAX';

/**
 * Lines of a cart or an order, add-ons under their plan, unit prices as this buyer is shown them;
 * `controls` adds quantity and remove buttons.
 */
export function linesTable(app: App, lines: ReadonlyArray<Line>, controls?: (line: Line) => Node): HTMLElement {
  const recurring = (l: Line) => (showsTax(app) && l.recurringPriceWithTax) || l.recurringPrice;
  const oneOff = (l: Line) => (showsTax(app) && l.oneOffPriceWithTax) || l.oneOffPrice;
  const ordered = lines.filter((l) => !l.parentLineId).flatMap((parent) => [parent, ...lines.filter((l) => l.parentLineId === parent.id)]);
  const orphans = lines.filter((l) => !ordered.includes(l));
  return h(
    'table',
    { class: 'lines' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Item'),
        h('th', { scope: 'col' }, 'Monthly'),
        h('th', { scope: 'col' }, 'Today'),
        h('th', { scope: 'col' }, 'Qty'),
      ),
    ),
    h(
      'tbody',
      null,
      [...ordered, ...orphans].map((line) =>
        h(
          'tr',
          { class: line.parentLineId ? 'line addon-line' : 'line', 'data-line-id': line.id },
          h('td', null, line.name, line.available === false ? h('span', { class: 'badge warn' }, ' no longer available') : null),
          h('td', null, recurring(line) ? app.money(recurring(line)) : '—'),
          h(
            'td',
            null,
            oneOff(line) ? app.money(oneOff(line)) : '—',
            line.deposit && Number(line.deposit.amount) > 0 ? h('div', { class: 'muted' }, `+ ${app.money(line.deposit)} deposit`) : null,
          ),
          h('td', null, controls ? controls(line) : String(line.quantity)),
        ),
      ),
    ),
  );
}

/** A discount shown as the amount taken off ("-€7.50"). */
const negative = (money: MoneyFieldsFragment): MoneyFieldsFragment => ({ ...money, amount: `-${money.amount}` });

type Discount = {
  promotionId: string;
  name: string;
  message: string;
  couponCode: string | null;
  oneOff: MoneyFieldsFragment;
  recurring: MoneyFieldsFragment;
};

/** The promotions applying to a cart: name, message and what each takes off (monthly and/or today). */
export function discountsList(app: App, discounts: ReadonlyArray<Discount> | null): HTMLElement | null {
  // Null: promotions could not be evaluated (the API says so with SERVICE_UNAVAILABLE), not "none".
  if (discounts === null) return h('p', { class: 'discounts muted', role: 'status' }, 'Discounts cannot be shown right now.');
  if (discounts.length === 0) return null;
  const amounts = (d: Discount) =>
    [
      Number(d.recurring.amount) > 0 ? `${app.money(negative(d.recurring))}/month` : null,
      Number(d.oneOff.amount) > 0 ? `${app.money(negative(d.oneOff))} today` : null,
    ]
      .filter(Boolean)
      .join(', ');
  return h(
    'ul',
    { class: 'discounts', 'aria-label': 'Discounts' },
    discounts.map((d) =>
      h(
        'li',
        { class: 'discount', 'data-promotion-id': d.promotionId, 'data-coupon-code': d.couponCode },
        h('span', { class: 'discount-name' }, d.name),
        h('span', { class: 'discount-message muted' }, d.message),
        h('span', { class: 'discount-amount' }, amounts(d)),
      ),
    ),
  );
}

export function totalsTable(app: App, totals: CartTotalsFieldsFragment | null): HTMLElement {
  // Null: totals are withheld while promotions cannot be evaluated, rather than shown undiscounted.
  if (!totals) return h('p', { class: 'totals muted', role: 'status' }, 'Totals cannot be worked out right now; try again in a moment.');
  const row = (label: string, money: MoneyFieldsFragment, key: string, strong = false) =>
    h(
      'tr',
      { 'data-total': key },
      h('th', { scope: 'row' }, label),
      h('td', null, strong ? h('strong', null, app.money(money)) : app.money(money)),
    );
  // With tax (what the cart will charge, line by line): subtotals and discounts with tax, the VAT they include.
  if (showsTax(app))
    return h(
      'table',
      { class: 'totals' },
      h(
        'tbody',
        null,
        row('Monthly subtotal (incl. VAT)', totals.subtotalRecurringWithTax, 'subtotalRecurringWithTax'),
        Number(totals.recurringDiscountsWithTax.amount) > 0
          ? row('Monthly discounts', negative(totals.recurringDiscountsWithTax), 'recurringDiscountsWithTax')
          : null,
        row('One-off subtotal (incl. VAT)', totals.subtotalOneOffWithTax, 'subtotalOneOffWithTax'),
        Number(totals.discountsWithTax.amount) > 0 ? row('One-off discounts', negative(totals.discountsWithTax), 'discountsWithTax') : null,
        Number(totals.deposit.amount) > 0 ? row('Deposit (no VAT)', totals.deposit, 'deposit') : null,
        row('Due today', totals.dueNow, 'dueNow', true),
        row('Then monthly', totals.monthly, 'monthly', true),
        row('of which VAT (monthly)', totals.taxRecurring, 'taxRecurring'),
        row('of which VAT (today)', totals.taxOneOff, 'taxOneOff'),
      ),
    );
  return h(
    'table',
    { class: 'totals' },
    h(
      'tbody',
      null,
      row('Monthly subtotal', totals.subtotalRecurring, 'subtotalRecurring'),
      Number(totals.recurringDiscounts.amount) > 0
        ? row('Monthly discounts', negative(totals.recurringDiscounts), 'recurringDiscounts')
        : null,
      row('One-off subtotal', totals.subtotalOneOff, 'subtotalOneOff'),
      Number(totals.discounts.amount) > 0 ? row('One-off discounts', negative(totals.discounts), 'discounts') : null,
      row('Tax (monthly)', totals.taxRecurring, 'taxRecurring'),
      row('Tax (one-off)', totals.taxOneOff, 'taxOneOff'),
      Number(totals.deposit.amount) > 0 ? row('Deposit', totals.deposit, 'deposit') : null,
      row('Due today', totals.dueNow, 'dueNow', true),
      row('Then monthly', totals.monthly, 'monthly', true),
    ),
  );
}
