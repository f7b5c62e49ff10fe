/** The catalog as the cart asks it: products priced for the caller and the storefront's locale (kit `catalog-products.ts`, shared with quotes). */
export { type CatalogProduct, catalogLoader, catalogReader, type TaxCategory } from '@dcrm/kit';
