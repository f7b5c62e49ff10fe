import type { LeadStatus } from '../entities/index.js';

/** TMF699 SalesLead status of a lead's own status. */
export type SalesLeadTmfStatus = 'OPEN' | 'QUALIFIED' | 'REJECTED' | 'CONVERTED';

export function tmfLeadStatus(status: LeadStatus): SalesLeadTmfStatus {
  switch (status) {
    case 'NEW':
    case 'ACKNOWLEDGED':
      return 'OPEN';
    // Folded into another lead: rejected as a duplicate.
    case 'MERGED':
      return 'REJECTED';
    default:
      return status;
  }
}
