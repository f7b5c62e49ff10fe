import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { TerminationRule } from '../domain/penalty.js';

export const RENEWAL_POLICIES = ['AUTO_RENEW', 'RENEWAL_OFFER', 'NONE'] as const;
export type RenewalPolicy = (typeof RENEWAL_POLICIES)[number];

/** Contract states; their TM Forum TMF651 Agreement equivalents are in domain/contract-lifecycle.ts. */
export const CONTRACT_STATUSES = [
  'DRAFT',
  'PENDING_APPROVAL',
  'ACTIVE',
  'RENEWAL_DUE',
  'RENEWED',
  'TERMINATED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** The terms a contract was made on: its template's, copied when created so later template edits leave it alone. */
export type ContractTerms = {
  templateName: string;
  termMonths: number;
  renewalPolicy: RenewalPolicy;
  noticeDays: number;
  terminationRule: TerminationRule;
  approvalScope: string;
};

/** A storefront's contract template (TMF651 AgreementSpecification). `version` is both its revision and its lock. */
export const ContractTemplate = defineEntity({
  name: 'ContractTemplate',
  tableName: 'contract_template',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    name: p.string(),
    termMonths: p.integer(),
    renewalPolicy: p.enum(RENEWAL_POLICIES),
    noticeDays: p.integer(),
    terminationRule: p.json<TerminationRule>(),
    approvalScope: p.string(),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IContractTemplate = InferEntity<typeof ContractTemplate>;

/**
 * A customer's contract for ordered products over a period (TMF651 Agreement). `segment` and
 * `partnerId` are the account's when written, so access is decided without asking the customer subgraph.
 * Money in minor units.
 */
export const Contract = defineEntity({
  name: 'Contract',
  tableName: 'contract',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    number: p.string(),
    customerId: p.uuid(),
    partnerId: p.uuid().nullable(),
    segment: p.string(),
    templateId: p.uuid(),
    templateVersion: p.integer(),
    terms: p.json<ContractTerms>(),
    orderId: p.uuid().nullable(),
    quoteId: p.uuid().nullable(),
    previousContractId: p.uuid().nullable(),
    currencyCode: p.string().length(3),
    monthlyFeeMinor: p.integer(),
    status: p.enum(CONTRACT_STATUSES).default('DRAFT'),
    periodStart: p.datetime(),
    periodEnd: p.datetime(),
    terminatedAt: p.datetime().nullable(),
    terminationReason: p.text().nullable(),
    terminationChargeMinor: p.integer().nullable(),
    approvedBy: p.string().nullable(),
    approvedAt: p.datetime().nullable(),
    internalNote: p.text().nullable(),
    createdBy: p.string().nullable(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type IContract = InferEntity<typeof Contract>;

/** An ordered product on a contract with its monthly fee when contracted (unit, minor units). */
export const ContractLine = defineEntity({
  name: 'ContractLine',
  tableName: 'contract_line',
  properties: {
    id: columns.id(),
    contract: () => p.manyToOne(Contract),
    position: p.integer(),
    productId: p.uuid(),
    name: p.string(),
    quantity: p.integer(),
    monthlyFeeMinor: p.integer(),
  },
});
export type IContractLine = InferEntity<typeof ContractLine>;

/** One step of a contract's history: who did what, when and why. */
export const ContractEvent = defineEntity({
  name: 'ContractEvent',
  tableName: 'contract_event',
  properties: {
    id: columns.id(),
    contract: () => p.manyToOne(Contract),
    at: p.datetime(),
    action: p.string(),
    fromStatus: p.enum(CONTRACT_STATUSES).nullable(),
    toStatus: p.enum(CONTRACT_STATUSES),
    actorKind: p.string(),
    actorId: p.string().nullable(),
    reason: p.text().nullable(),
  },
});
export type IContractEvent = InferEntity<typeof ContractEvent>;
