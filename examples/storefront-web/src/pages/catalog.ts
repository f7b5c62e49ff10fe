import { getProducts, type PriceBand, type ProductKind, type ProductSort, type ProductsQuery } from '@dcrm/storefront-sdk';
import type { Page } from '../app.js';
import { h, notice } from '../dom.js';
import { href, type Query, type Route } from '../router.js';
import { BAND_ORDER, KIND_LABELS, productCard } from './shared.js';

const PAGE_SIZE = 12;
const SORTS: [ProductSort | '', string][] = [
  ['', 'Featured'],
  ['NAME', 'Name'],
  ['PRICE_ASC', 'Price: low to high'],
  ['PRICE_DESC', 'Price: high to low'],
  ['NEWEST', 'Newest'],
];

type Facets = ProductsQuery['products']['facets'];

/** The catalog's state lives in the URL (`#/?q=5g&kind=PLAN&band=FROM_10_TO_25&sort=NAME`), so it can be shared and reloaded. */
const stateOf = (route: Route) => {
  const list = (name: string) => (route.query.get(name) ?? '').split(',').filter(Boolean);
  return {
    q: route.query.get('q') ?? '',
    kinds: list('kind') as ProductKind[],
    categories: list('category'),
    bands: list('band') as PriceBand[],
    sort: (route.query.get('sort') ?? '') as ProductSort | '',
    after: route.query.get('after') ?? '',
  };
};
type State = ReturnType<typeof stateOf>;

const toQuery = (s: State): Query => ({
  q: s.q,
  kind: s.kinds.join(','),
  category: s.categories.join(','),
  band: s.bands.join(','),
  sort: s.sort,
  after: s.after,
});

const toggled = <T>(list: T[], value: T): T[] => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

export const catalogPage: Page = async (app, route, signal) => {
  const state = stateOf(route);
  const go = (next: Partial<State>) => app.navigate('/', toQuery({ ...state, after: '', ...next }));
  const { data, errors } = await getProducts(
    app.client,
    {
      first: PAGE_SIZE,
      after: state.after || null,
      query: state.q || null,
      filter: {
        kinds: state.kinds.length ? state.kinds : null,
        categoryIds: state.categories.length ? state.categories : null,
        priceBands: state.bands.length ? state.bands : null,
      },
      sort: state.sort || null,
    },
    { signal },
  );
  if (!data) return notice(errors?.[0]?.message ?? 'The catalog is not available.');
  const { products } = data;

  const facetGroup = <T extends string>(
    legend: string,
    name: string,
    options: { value: T; label: string; count: number }[],
    selected: T[],
    onToggle: (value: T) => void,
  ) =>
    h(
      'fieldset',
      { class: 'facet', 'data-facet': name },
      h('legend', null, legend),
      options.map((o) =>
        h(
          'label',
          { class: 'facet-option' },
          h('input', { type: 'checkbox', name, value: o.value, checked: selected.includes(o.value), onchange: () => onToggle(o.value) }),
          ` ${o.label} `,
          h('span', { class: 'muted' }, `(${o.count})`),
        ),
      ),
    );

  const bandLabel = (band: Facets['priceBands'][number]) =>
    band.max
      ? Number(band.min.amount) === 0
        ? `Under ${app.money(band.max)}`
        : `${app.money(band.min)} – ${app.money(band.max)}`
      : `${app.money(band.min)} and over`;

  const facets = h(
    'aside',
    { class: 'facets', 'aria-label': 'Filters' },
    facetGroup(
      'Type',
      'kind',
      products.facets.kinds.map((k) => ({ value: k.kind, label: KIND_LABELS[k.kind], count: k.count })),
      state.kinds,
      (kind) => go({ kinds: toggled(state.kinds, kind) }),
    ),
    facetGroup(
      'Category',
      'category',
      products.facets.categories.map((c) => ({ value: c.category.id, label: c.category.name, count: c.count })),
      state.categories,
      (id) => go({ categories: toggled(state.categories, id) }),
    ),
    facetGroup(
      'Price',
      'band',
      [...products.facets.priceBands]
        .sort((a, b) => BAND_ORDER.indexOf(a.band) - BAND_ORDER.indexOf(b.band))
        .map((b) => ({ value: b.band, label: bandLabel(b), count: b.count })),
      state.bands,
      (band) => go({ bands: toggled(state.bands, band) }),
    ),
    state.kinds.length + state.categories.length + state.bands.length > 0
      ? h('button', { type: 'button', class: 'link-button', onclick: () => go({ kinds: [], categories: [], bands: [] }) }, 'Clear filters')
      : null,
  );

  const sort = h(
    'select',
    {
      name: 'sort',
      'aria-label': 'Sort by',
      onchange: (e: Event) => go({ sort: (e.target as HTMLSelectElement).value as ProductSort | '' }),
    },
    SORTS.filter(([value]) => value !== '' || !state.q).map(([value, label]) =>
      h('option', { value, selected: value === state.sort }, label),
    ),
    state.q ? h('option', { value: '', selected: state.sort === '' }, 'Best match') : null,
  );

  const compareCount = app.compare.ids().length;
  return h(
    'div',
    { class: 'catalog' },
    h('h1', null, state.q ? `Results for “${state.q}”` : app.storefront.name),
    h(
      'div',
      { class: 'toolbar' },
      h(
        'p',
        { class: 'result-count', 'data-testid': 'result-count', 'data-count': products.totalCount },
        `${products.totalCount} ${products.totalCount === 1 ? 'product' : 'products'}`,
      ),
      compareCount >= 2 ? h('a', { class: 'button secondary', href: href('/compare') }, `Compare ${compareCount} products`) : null,
      h('label', null, 'Sort ', sort),
    ),
    h(
      'div',
      { class: 'catalog-body' },
      facets,
      h(
        'section',
        { class: 'results', 'aria-label': 'Products' },
        products.nodes.length
          ? h(
              'div',
              { class: 'product-grid' },
              products.nodes.map((p) => productCard(app, p)),
            )
          : h('p', null, 'Nothing matches. Try fewer words or clear the filters.'),
        h(
          'nav',
          { class: 'paging', 'aria-label': 'Pages' },
          state.after ? h('a', { href: href('/', toQuery({ ...state, after: '' })) }, '← First page') : null,
          products.pageInfo.hasNextPage && products.pageInfo.endCursor
            ? h('a', { href: href('/', toQuery({ ...state, after: products.pageInfo.endCursor })), rel: 'next' }, 'Next page →')
            : null,
        ),
      ),
    ),
  );
};
