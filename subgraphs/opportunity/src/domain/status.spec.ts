import { describe, expect, it } from 'vitest';
import { LEAD_STATUSES } from '../entities/lead.entity.js';
import { tmfLeadStatus } from './status.js';

describe('tmfLeadStatus', () => {
  it('maps every lead status onto TMF699 SalesLead status', () => {
    expect(LEAD_STATUSES.map(tmfLeadStatus)).toEqual(['OPEN', 'OPEN', 'QUALIFIED', 'REJECTED', 'CONVERTED', 'REJECTED']);
  });
});
