import { compareProducts } from '@dcrm/storefront-sdk';
import type { Page } from '../app.js';
import { h, notice } from '../dom.js';
import { href } from '../router.js';

/** `#/compare` (the products picked while browsing) or `#/compare?ids=a,b,c` (a shared link). */
export const comparePage: Page = async (app, route, signal) => {
  const ids = (route.query.get('ids') ?? '').split(',').filter(Boolean);
  const picked = ids.length ? ids : app.compare.ids();
  if (picked.length < 2)
    return h(
      'div',
      null,
      h('h1', null, 'Compare'),
      h('p', null, 'Tick “Compare” on two or three products to see them side by side. ', h('a', { href: href('/') }, 'Browse the shop')),
    );
  const { data, errors } = await compareProducts(app.client, { ids: picked }, { signal });
  const comparison = data?.compareProducts;
  if (!comparison) return notice(errors?.[0]?.message ?? 'These products cannot be compared.');
  const { products, rows } = comparison;
  return h(
    'div',
    { class: 'compare' },
    h('h1', null, 'Compare'),
    h(
      'table',
      { class: 'compare-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, ''),
          products.map((p) =>
            h(
              'th',
              { scope: 'col', 'data-product-id': p.id },
              h('a', { href: href(`/product/${p.slug}`) }, p.name),
              h('div', { class: 'price' }, app.price(p.price)),
              ids.length
                ? null
                : h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-button',
                      onclick: () => {
                        app.compare.toggle(p.id);
                        window.dispatchEvent(new HashChangeEvent('hashchange'));
                      },
                    },
                    'Remove',
                  ),
            ),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            { class: row.differs ? 'differs' : null, 'data-key': row.key },
            h('th', { scope: 'row' }, row.label),
            row.values.map((v) => h('td', null, v === null || v === undefined ? '—' : row.unit ? `${v} ${row.unit}` : v)),
          ),
        ),
      ),
    ),
    h('p', { class: 'muted' }, 'Highlighted rows differ.'),
  );
};
