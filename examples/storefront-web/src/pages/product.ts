import { getProduct, recordProductView } from '@dcrm/storefront-sdk';
import type { Page } from '../app.js';
import { formValues, h, notice } from '../dom.js';
import { href } from '../router.js';
import { compareToggle, KIND_LABELS, productCard, productImage } from './shared.js';

export const productPage: Page = async (app, route, signal) => {
  const { data, errors } = await getProduct(app.client, { slug: route.params.slug }, { signal });
  const product = data?.product;
  if (!product) return notice(errors?.[0]?.message ?? 'This product is not available.');
  // Signed-in views feed browse reminders and real-time offers; anonymous ones are ignored by the API.
  if (await app.session()) void recordProductView(app.client, { productId: product.id }).catch(() => {});

  const status = h('div', { class: 'add-status', role: 'status' });
  const addButton = h('button', { type: 'submit', class: 'button' }, 'Add to cart');
  const form = h(
    'form',
    {
      class: 'add-to-cart',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const addonIds = Object.keys(formValues(form))
          .filter((k) => k.startsWith('addon:'))
          .map((k) => k.slice('addon:'.length));
        addButton.disabled = true;
        try {
          const added = await app.cart.add([{ productId: product.id }]);
          let errors = added.userErrors;
          // Add-ons go under the line just added.
          const line = added.cart?.lines.filter((l) => l.product?.id === product.id && !l.parentLineId).at(-1);
          if (!errors.length && line && addonIds.length) {
            errors = (await app.cart.add(addonIds.map((productId) => ({ productId, parentLineId: line.id })))).userErrors;
          }
          status.replaceChildren(
            errors.length
              ? notice(errors.map((e) => e.message).join(' '))
              : h(
                  'p',
                  { class: 'notice notice-info' },
                  `Added ${product.name} to your cart. `,
                  h('a', { href: href('/cart') }, 'View cart →'),
                ),
          );
        } catch {
          status.replaceChildren(notice('Could not add it to your cart. Please try again.'));
        } finally {
          addButton.disabled = false;
        }
      },
    },
    product.compatibleAddons.length
      ? h(
          'fieldset',
          { class: 'addons' },
          h('legend', null, 'Add-ons'),
          product.compatibleAddons.map((a) =>
            h(
              'label',
              { class: 'addon-option' },
              h('input', { type: 'checkbox', name: `addon:${a.id}`, value: '1' }),
              ` ${a.name} `,
              h('span', { class: 'muted' }, app.price(a.price)),
            ),
          ),
        )
      : null,
    addButton,
  );

  return h(
    'article',
    { class: 'product-detail', 'data-product-id': product.id },
    h(
      'p',
      { class: 'breadcrumb' },
      h('a', { href: href('/') }, 'Shop'),
      ' / ',
      product.category ? h('a', { href: href('/', { category: product.category.id }) }, product.category.name) : KIND_LABELS[product.kind],
    ),
    h(
      'div',
      { class: 'product-main' },
      productImage(product),
      h(
        'div',
        null,
        h('h1', null, product.name),
        h('p', { class: 'price big', 'data-testid': 'product-price' }, app.price(product.price)),
        h('p', null, product.description),
        form,
        status,
        compareToggle(app, product.id),
      ),
    ),
    product.attributes.length
      ? h(
          'section',
          null,
          h('h2', null, 'Details'),
          h(
            'table',
            { class: 'attributes' },
            h(
              'tbody',
              null,
              product.attributes.map((a) =>
                h('tr', null, h('th', { scope: 'row' }, a.label), h('td', null, a.unit ? `${a.value} ${a.unit}` : a.value)),
              ),
            ),
          ),
        )
      : null,
    product.bundleItems.length
      ? h(
          'section',
          null,
          h('h2', null, 'In this bundle'),
          h(
            'div',
            { class: 'product-grid' },
            product.bundleItems.map((p) => productCard(app, p)),
          ),
        )
      : null,
  );
};
