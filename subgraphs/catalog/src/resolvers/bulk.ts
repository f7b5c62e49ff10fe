import { bulkServiceResolvers } from '@dcrm/kit';
import { BULK_SCHEMA, catalogBulkActions } from '../domain/bulk-price-update.js';
import type { CatalogResolvers } from './context.js';

/** `_bulkValidate` / `_bulkApply`: catalog's bulk actions, for the customer subgraph's bulk operations (kit serves them). */
export const bulkResolvers = bulkServiceResolvers(catalogBulkActions, BULK_SCHEMA) as CatalogResolvers;
