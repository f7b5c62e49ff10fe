import { createStorefrontClient, getStorefront, isNetworkError, webStorageTokenStore } from '@dcrm/storefront-sdk';
import { type App, createCompareList, type Page } from './app.js';
import { applyBrand, logo, type Storefront } from './brand.js';
import { createCartStore } from './cart-store.js';
import { readConfig } from './config.js';
import { h, notice } from './dom.js';
import { createLanguage } from './language.js';
import { formatters } from './money.js';
import { mountOfferBanner } from './offers.js';
import { cartPage } from './pages/cart.js';
import { catalogPage } from './pages/catalog.js';
import { checkoutPage } from './pages/checkout.js';
import { comparePage } from './pages/compare.js';
import { orderPage, ordersPage } from './pages/orders.js';
import { productPage } from './pages/product.js';
import { recoverPage } from './pages/recover.js';
import { signInPage } from './pages/sign-in.js';
import { href, match, navigate } from './router.js';
import './styles.css';

const routes: ReadonlyArray<readonly [string, Page]> = [
  ['/', catalogPage],
  ['/product/:slug', productPage],
  ['/compare', comparePage],
  ['/cart', cartPage],
  ['/sign-in', signInPage],
  ['/checkout', checkoutPage],
  ['/orders', ordersPage],
  ['/orders/:id', orderPage],
  ['/recover', recoverPage],
];

async function start(root: HTMLElement): Promise<void> {
  const config = readConfig(location.search);
  if (!config.apiKey) {
    root.replaceChildren(
      h(
        'main',
        { class: 'page' },
        h('h1', null, 'No storefront key'),
        h('p', null, 'Open this page with ', h('code', null, '?key=<public storefront key>'), ' or build it with VITE_DCRM_API_KEY.'),
      ),
    );
    return;
  }
  const language = createLanguage(localStorage, navigator.language);
  const client = createStorefrontClient({
    endpoint: config.endpoint,
    apiKey: config.apiKey,
    // Texts (products, categories, promotions) come back in the switcher's language.
    language: language.current,
    // One origin may serve several brands: each keeps its own session and cart.
    tokenStore: webStorageTokenStore(localStorage, `dcrm.session.${config.apiKey}`),
  });

  let storefront: Storefront | null | undefined;
  try {
    const { data } = await getStorefront(client);
    storefront = data?.storefront;
  } catch (error) {
    root.replaceChildren(notice(isNetworkError(error) ? 'The shop cannot be reached right now.' : String(error)));
    return;
  }
  if (!storefront) {
    root.replaceChildren(notice('This storefront key is not valid.'));
    return;
  }
  applyBrand(storefront);

  const app: App = {
    client,
    storefront,
    ...formatters(storefront.locale, storefront.currencyCode),
    cart: createCartStore(client, localStorage, config.apiKey),
    compare: createCompareList(sessionStorage, config.apiKey),
    navigate,
    session: () => client.auth.session(),
  };

  const cartCount = h('span', { class: 'cart-count', 'data-testid': 'cart-count' }, '0');
  const compareCount = h('span', { class: 'compare-count' }, '0');
  const account = h('span', { class: 'account' });
  const search = h('input', { type: 'search', name: 'q', placeholder: 'Search plans, phones, add-ons', 'aria-label': 'Search' });
  const offerSlot = h('div', { class: 'offer-slot', hidden: true });
  const main = h('main', { class: 'page', id: 'page', tabindex: '-1' });

  const renderAccount = async () => {
    const signedIn = (await app.session()) !== null;
    account.replaceChildren(
      signedIn
        ? h(
            'span',
            { class: 'site-nav' },
            h('a', { href: href('/orders') }, 'Orders'),
            h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                onclick: async () => {
                  await client.auth.logout().catch(() => null);
                  app.cart.clear();
                  navigate('/');
                },
              },
              'Sign out',
            ),
          )
        : h('a', { href: href('/sign-in') }, 'Sign in'),
    );
  };
  app.cart.onChange(() => {
    cartCount.textContent = String(app.cart.count());
  });
  app.compare.onChange(() => {
    compareCount.textContent = String(app.compare.ids().length);
  });
  compareCount.textContent = String(app.compare.ids().length);
  client.auth.onChange(() => void renderAccount());
  await renderAccount();

  root.replaceChildren(
    offerSlot,
    h(
      'header',
      { class: 'site-header' },
      h(
        'a',
        { class: 'brand', href: href('/') },
        logo(storefront),
        h('span', { class: 'brand-name', 'data-testid': 'brand-name' }, storefront.name),
      ),
      h(
        'form',
        {
          class: 'search',
          role: 'search',
          onsubmit: (event: Event) => {
            event.preventDefault();
            navigate('/', { q: search.value.trim() });
          },
        },
        search,
        h('button', { type: 'submit' }, 'Search'),
      ),
      h(
        'nav',
        { class: 'site-nav', 'aria-label': 'Main' },
        h('a', { href: href('/') }, 'Shop'),
        h('a', { href: href('/compare') }, 'Compare (', compareCount, ')'),
        h('a', { href: href('/cart') }, 'Cart (', cartCount, ')'),
        account,
        // A new language: the cart's line names and the page are fetched again in it.
        language.switcher(() => {
          void app.cart.load().catch(() => null);
          void show();
        }),
      ),
    ),
    main,
    h('footer', { class: 'site-footer' }, `${storefront.name} · prices in ${storefront.currencyCode}, including VAT where it applies`),
  );
  mountOfferBanner(app, offerSlot);
  void app.cart.load().catch(() => null);

  let current: AbortController | null = null;
  const show = async () => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const found = match(routes, location.hash);
    main.setAttribute('aria-busy', 'true');
    let content: Node;
    try {
      if (!found) content = h('div', null, h('h1', null, 'Page not found'), h('a', { href: href('/') }, 'Back to the shop'));
      else {
        if (found.route.path === '/') search.value = found.route.query.get('q') ?? '';
        content = await found.handler(app, found.route, controller.signal);
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      content = notice(isNetworkError(error) ? 'The shop cannot be reached right now. Please try again.' : 'Something went wrong.');
      console.error(error);
    }
    if (controller.signal.aborted) return;
    main.replaceChildren(content);
    main.dataset.route = found ? found.route.path : 'not-found';
    // Which URL the content shows: tests (and analytics) wait on it rather than on time.
    main.dataset.view = location.hash || '#/';
    main.removeAttribute('aria-busy');
  };
  window.addEventListener('hashchange', () => void show());
  await show();
}

const root = document.getElementById('app');
if (root) void start(root);
