import { describe, expect, it } from 'vitest';
import type { ContractTerms } from '../entities/index.js';
import { renewalDueAt } from './contract-history.js';
import { CONTRACT_TRANSITIONS, canTransition, TMF651_STATUS } from './contract-lifecycle.js';

const end = new Date('2027-01-15T00:00:00Z');
const terms = (renewalPolicy: ContractTerms['renewalPolicy'], noticeDays = 30) =>
  ({
    templateName: 'T',
    termMonths: 12,
    renewalPolicy,
    noticeDays,
    terminationRule: { kind: 'NONE' },
    approvalScope: 'contract:approve',
  }) as ContractTerms;

describe('the contract lifecycle', () => {
  it('ends in final states only', () => {
    for (const final of ['RENEWED', 'TERMINATED', 'CANCELLED', 'EXPIRED'] as const) expect(CONTRACT_TRANSITIONS[final]).toEqual([]);
    expect(canTransition('PENDING_APPROVAL', 'ACTIVE')).toBe(true);
    expect(canTransition('DRAFT', 'ACTIVE')).toBe(false);
    expect(canTransition('RENEWAL_DUE', 'CANCELLED')).toBe(false);
  });

  it('maps every status onto a TMF651 Agreement status', () => {
    expect(TMF651_STATUS).toMatchObject({ DRAFT: 'initialized', PENDING_APPROVAL: 'inProcess', ACTIVE: 'validated', EXPIRED: 'closed' });
  });
});

describe('when the renewal job looks at a contract', () => {
  it('notice days before the end for AUTO_RENEW and RENEWAL_OFFER, at the end for NONE and RENEWAL_DUE', () => {
    expect(renewalDueAt({ status: 'ACTIVE', periodEnd: end, terms: terms('AUTO_RENEW') })).toEqual(new Date('2026-12-16T00:00:00Z'));
    expect(renewalDueAt({ status: 'ACTIVE', periodEnd: end, terms: terms('RENEWAL_OFFER', 60) })).toEqual(new Date('2026-11-16T00:00:00Z'));
    expect(renewalDueAt({ status: 'ACTIVE', periodEnd: end, terms: terms('NONE') })).toEqual(end);
    expect(renewalDueAt({ status: 'RENEWAL_DUE', periodEnd: end, terms: terms('RENEWAL_OFFER') })).toEqual(end);
  });

  it('never for contracts not in force', () => {
    for (const status of ['DRAFT', 'PENDING_APPROVAL', 'RENEWED', 'TERMINATED', 'CANCELLED', 'EXPIRED'] as const)
      expect(renewalDueAt({ status, periodEnd: end, terms: terms('AUTO_RENEW') })).toBeNull();
  });
});
