import { getMyOrders, getOrder, type OrderStatus } from '@dcrm/storefront-sdk';
import type { App, Page } from '../app.js';
import { h, notice } from '../dom.js';
import { href } from '../router.js';
import { linesTable, totalsTable } from './cart-view.js';
import { requireSignIn } from './shared.js';

const STATUS_LABELS: Record<OrderStatus, string> = {
  PLACED: 'Placed',
  PROVISIONING: 'Being set up',
  ACTIVE: 'Active',
  CANCELLED: 'Cancelled',
  PENDING_APPROVAL: 'Waiting for approval',
  REJECTED: 'Not approved',
};

const date = (app: App, iso: string) =>
  new Intl.DateTimeFormat(app.storefront.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export const ordersPage: Page = async (app, _route, signal) => {
  const gate = await requireSignIn(app, '/orders');
  if (gate) return gate;
  const { data, errors } = await getMyOrders(app.client, { first: 20 }, { signal });
  if (!data?.me) return notice(errors?.[0]?.message ?? 'Your orders are not available.');
  if (!data.me.orders) return notice('Your orders cannot be shown right now; try again in a moment.');
  const orders = data.me.orders.nodes;
  return h(
    'div',
    { class: 'orders' },
    h('h1', null, 'Your orders'),
    orders.length
      ? h(
          'table',
          { class: 'order-list' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Order', 'Placed', 'Status', 'Paid today', 'Monthly'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            null,
            orders.map((o) =>
              h(
                'tr',
                { 'data-order-number': o.number },
                h('td', null, h('a', { href: href(`/orders/${o.id}`) }, o.number)),
                h('td', null, date(app, o.placedAt)),
                h('td', null, STATUS_LABELS[o.status]),
                h('td', null, app.money(o.totals.dueNow)),
                h('td', null, app.money(o.totals.monthly)),
              ),
            ),
          ),
        )
      : h('p', null, 'No orders yet. ', h('a', { href: href('/') }, 'Browse the shop')),
  );
};

/** One order; `?placed=1` right after checkout shows the confirmation. */
export const orderPage: Page = async (app, route, signal) => {
  const gate = await requireSignIn(app, `/orders/${route.params.id}`);
  if (gate) return gate;
  const { data, errors } = await getOrder(app.client, { id: route.params.id }, { signal });
  const order = data?.order;
  if (!order) return notice(errors?.[0]?.message ?? 'This order is not available.');
  const placed = route.query.get('placed') === '1';
  return h(
    'div',
    { class: 'order', 'data-order-number': order.number },
    placed
      ? h(
          'div',
          { class: 'confirmation', role: 'status' },
          h('h1', null, 'Thank you for your order'),
          h('p', null, 'Your order number is ', h('strong', { 'data-testid': 'order-number' }, order.number), '.'),
          // A business sub-account over its spend budget: nothing is set up or charged until the account holder approves.
          order.status === 'PENDING_APPROVAL'
            ? h(
                'p',
                { 'data-testid': 'pending-approval' },
                'It is over your spending budget and waits for your account holder to approve it.',
              )
            : '',
        )
      : h('h1', null, `Order ${order.number}`),
    h(
      'p',
      null,
      `${STATUS_LABELS[order.status]} · placed ${date(app, order.placedAt)}`,
      order.statusReason ? ` · ${order.statusReason}` : '',
    ),
    linesTable(app, order.lines),
    totalsTable(app, order.totals),
    h('h2', null, 'History'),
    h(
      'ol',
      { class: 'history' },
      order.history.nodes.map((step) =>
        h('li', null, `${STATUS_LABELS[step.status]} — ${date(app, step.at)}`, step.reason ? ` (${step.reason})` : ''),
      ),
    ),
    h('p', null, h('a', { href: href('/orders') }, 'All orders')),
  );
};
