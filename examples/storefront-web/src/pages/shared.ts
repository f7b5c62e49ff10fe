import type { PriceBand, ProductCardFragment, ProductKind } from '@dcrm/storefront-sdk';
import type { App } from '../app.js';
import { COMPARE_MAX } from '../app.js';
import { h } from '../dom.js';
import { href } from '../router.js';

export const KIND_LABELS: Record<ProductKind, string> = { PLAN: 'Plans', ADDON: 'Add-ons', DEVICE: 'Devices', BUNDLE: 'Bundles' };

export const BAND_ORDER: PriceBand[] = ['UNDER_10', 'FROM_10_TO_25', 'FROM_25_TO_50', 'FROM_50_TO_100', 'OVER_100'];

/** A product image that disappears quietly when it cannot be loaded. */
export function productImage(product: Pick<ProductCardFragment, 'images' | 'name'>): HTMLElement {
  const image = product.images[0];
  const frame = h(
    'div',
    { class: 'product-image' },
    h('span', { class: 'product-image-fallback', 'aria-hidden': 'true' }, product.name.slice(0, 1)),
  );
  if (image) {
    const img = h('img', { src: image.url, alt: image.altText, loading: 'lazy' });
    img.addEventListener('error', () => img.remove());
    frame.append(img);
  }
  return frame;
}

/** The compare checkbox of a product card or page. */
export function compareToggle(app: App, productId: string): HTMLElement {
  const box = h('input', { type: 'checkbox', class: 'compare-toggle', checked: app.compare.has(productId) });
  box.addEventListener('change', () => {
    const on = app.compare.toggle(productId);
    box.checked = on;
    if (!on && app.compare.ids().length >= COMPARE_MAX && !app.compare.has(productId)) box.title = `Compare up to ${COMPARE_MAX} products`;
  });
  return h('label', { class: 'compare-label' }, box, ' Compare');
}

export function productCard(app: App, product: ProductCardFragment): HTMLElement {
  return h(
    'article',
    { class: 'product-card', 'data-product-id': product.id, 'data-slug': product.slug },
    productImage(product),
    h('h3', null, h('a', { href: href(`/product/${product.slug}`) }, product.name)),
    h('p', { class: 'muted' }, product.category?.name ?? KIND_LABELS[product.kind]),
    h('p', { class: 'price' }, app.price(product.price)),
    compareToggle(app, product.id),
  );
}

/** Pages that need a signed-in customer send the shopper to sign in and back. */
export async function requireSignIn(app: App, next: string): Promise<HTMLElement | null> {
  if (await app.session()) return null;
  return h(
    'div',
    null,
    h('h1', null, 'Sign in to continue'),
    h('p', null, h('a', { class: 'button', href: href('/sign-in', { next }) }, 'Sign in or create an account')),
  );
}
