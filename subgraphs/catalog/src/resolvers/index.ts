import { mergeResolvers } from '@dcrm/kit';
import { assortmentResolvers } from './assortment-update.js';
import { bulkResolvers } from './bulk.js';
import { categoryResolvers } from './category.js';
import { compareProductsResolvers } from './compare-products.js';
import type { CatalogResolvers } from './context.js';
import { customerResolvers } from './customer.js';
import { priceResolvers } from './price-mutations.js';
import { productResolvers } from './product.js';
import { productMutationResolvers } from './product-mutations.js';
import { productsResolvers } from './products.js';
import { storefrontResolvers } from './storefront.js';
import { storefrontOriginsResolvers } from './storefront-origins.js';
import { storesNearResolvers } from './stores-near.js';
import { translationResolvers } from './translations.js';

export const resolvers: CatalogResolvers = mergeResolvers(
  storefrontResolvers,
  storefrontOriginsResolvers,
  categoryResolvers,
  productResolvers,
  productsResolvers,
  compareProductsResolvers,
  storesNearResolvers,
  productMutationResolvers,
  priceResolvers,
  assortmentResolvers,
  customerResolvers,
  bulkResolvers,
  translationResolvers,
);
