import type { ContractStatus } from '../entities/index.js';

/** The contract lifecycle as data: which status may follow which. RENEWED, TERMINATED, CANCELLED and EXPIRED are final. */
export const CONTRACT_TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  DRAFT: ['PENDING_APPROVAL', 'CANCELLED'],
  PENDING_APPROVAL: ['ACTIVE', 'CANCELLED'],
  ACTIVE: ['RENEWAL_DUE', 'RENEWED', 'TERMINATED', 'CANCELLED', 'EXPIRED'],
  RENEWAL_DUE: ['RENEWED', 'TERMINATED', 'EXPIRED'],
  RENEWED: [],
  TERMINATED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export const canTransition = (from: ContractStatus, to: ContractStatus): boolean => CONTRACT_TRANSITIONS[from].includes(to);

/** TM Forum TMF651 Agreement status of each of ours. */
export const TMF651_STATUS: Record<ContractStatus, string> = {
  DRAFT: 'initialized',
  PENDING_APPROVAL: 'inProcess',
  ACTIVE: 'validated',
  RENEWAL_DUE: 'validated',
  RENEWED: 'closed',
  TERMINATED: 'closed',
  CANCELLED: 'closed',
  EXPIRED: 'closed',
};

/** What a status change is called in the history. */
export const ACTION_OF: Partial<Record<ContractStatus, string>> = {
  PENDING_APPROVAL: 'SUBMITTED',
  ACTIVE: 'APPROVED',
  RENEWAL_DUE: 'RENEWAL_DUE',
  RENEWED: 'RENEWED',
  TERMINATED: 'TERMINATED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
};
