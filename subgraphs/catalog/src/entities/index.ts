import { Translation } from '@dcrm/kit';
import { Price, PriceList } from './price.entity.js';
import { BundleItem, Category, Product, ProductAddon, StorefrontProduct } from './product.entity.js';
import { Store, Storefront } from './storefront.entity.js';

export * from './price.entity.js';
export * from './product.entity.js';
export * from './storefront.entity.js';

export const entities = [Storefront, Store, Category, Product, ProductAddon, BundleItem, StorefrontProduct, PriceList, Price, Translation];
