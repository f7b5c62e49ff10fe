import { readAuditTrail, serviceUnavailable } from '@dcrm/kit';
import type { CustomerResolvers } from './context.js';

/** The back office's audit trail: this subgraph's records and every peer's (kit audit-trail.ts). */
export const auditTrailResolvers: CustomerResolvers = {
  Query: {
    auditTrail: (_, { entityType, entityId, first, after }, ctx) =>
      readAuditTrail(ctx.em, ctx.principal, ctx.services.audit, { entityType, entityId }, { first, after }),
  },
  Customer: {
    auditTrail: (customer, { first, after }, ctx) =>
      readAuditTrail(ctx.em, ctx.principal, ctx.services.audit, { customerId: customer.id }, { first, after }),
  },
  AuditRecordConnection: {
    complete: (page) => {
      if (page.unavailable.length > 0) throw serviceUnavailable(page.unavailable.join(', '));
      return true;
    },
  },
};
