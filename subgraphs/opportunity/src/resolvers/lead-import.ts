import { bulkServiceResolvers } from '@dcrm/kit';
import { BULK_SCHEMA, opportunityBulkActions } from '../domain/lead-import.js';
import type { OpportunityResolvers } from './context.js';

/** `_bulkValidate` / `_bulkApply`: opportunity's bulk actions (`lead.import`), for the customer subgraph's bulk operations (kit serves them). */
export const leadImportResolvers = bulkServiceResolvers(opportunityBulkActions, BULK_SCHEMA) as OpportunityResolvers;
