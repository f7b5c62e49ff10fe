import type { CustomFieldType, OpportunityStatus, ReasonKind, TmfOpportunityStatus, TransitionField } from '../../entities/index.js';

/**
 * The pipeline a storefront starts with (data; operators change it in the tables): stages with their
 * TMF699 SalesOpportunity status, transitions with their required input and guards, managed reasons.
 */
type Stage = {
  code: string;
  name: string;
  status: OpportunityStatus;
  tmfStatus: TmfOpportunityStatus;
  idleLimitHours: number | null;
  probability: number;
};
export const DEFAULT_STAGES: Stage[] = [
  { code: 'PROSPECTING', name: 'Prospecting', status: 'OPEN', tmfStatus: 'acknowledged', idleLimitHours: 72, probability: 10 },
  { code: 'QUALIFICATION', name: 'Qualification', status: 'OPEN', tmfStatus: 'inProgress', idleLimitHours: 120, probability: 25 },
  { code: 'PROPOSAL', name: 'Proposal', status: 'OPEN', tmfStatus: 'inProgress', idleLimitHours: 168, probability: 50 },
  { code: 'NEGOTIATION', name: 'Negotiation', status: 'OPEN', tmfStatus: 'inProgress', idleLimitHours: 168, probability: 75 },
  { code: 'WON', name: 'Won', status: 'WON', tmfStatus: 'accepted', idleLimitHours: null, probability: 100 },
  { code: 'LOST', name: 'Lost', status: 'LOST', tmfStatus: 'rejected', idleLimitHours: null, probability: 0 },
  { code: 'REJECTED', name: 'Rejected', status: 'REJECTED', tmfStatus: 'rejected', idleLimitHours: null, probability: 0 },
  { code: 'CANCELLED', name: 'Cancelled', status: 'CANCELLED', tmfStatus: 'cancelled', idleLimitHours: null, probability: 0 },
];

type Transition = { from: string; to: string; requiredFields?: TransitionField[]; guards?: string[] };
const REJECT: Transition['requiredFields'] = ['reasonCode'];
// APPROVALS_DONE: the approval tasks (domain/work/approvals.ts) decided and approved.
const CLOSE_WON = ['HAS_LINES', 'CUSTOM_FIELDS_COMPLETE', 'APPROVALS_DONE'];
const exits = (from: string, lose: boolean): Transition[] => [
  { from, to: 'REJECTED', requiredFields: REJECT },
  ...(lose ? [{ from, to: 'LOST', requiredFields: REJECT }] : []),
  { from, to: 'CANCELLED', requiredFields: ['note'] },
];
export const DEFAULT_TRANSITIONS: Transition[] = [
  { from: 'PROSPECTING', to: 'QUALIFICATION' },
  ...exits('PROSPECTING', false),
  { from: 'QUALIFICATION', to: 'PROPOSAL', guards: ['HAS_LINES'] },
  { from: 'QUALIFICATION', to: 'PROSPECTING' },
  ...exits('QUALIFICATION', true),
  { from: 'PROPOSAL', to: 'NEGOTIATION', guards: ['APPROVALS_DONE'] },
  { from: 'PROPOSAL', to: 'QUALIFICATION' },
  { from: 'PROPOSAL', to: 'WON', guards: CLOSE_WON },
  ...exits('PROPOSAL', true),
  { from: 'NEGOTIATION', to: 'WON', guards: CLOSE_WON },
  { from: 'NEGOTIATION', to: 'PROPOSAL' },
  ...exits('NEGOTIATION', true),
  // Reopening a lost or rejected opportunity says why.
  { from: 'LOST', to: 'QUALIFICATION', requiredFields: ['note'] },
  { from: 'REJECTED', to: 'PROSPECTING', requiredFields: ['note'] },
];

export const DEFAULT_REASONS: { code: string; label: string; kind: ReasonKind }[] = [
  { code: 'NOT_REACHABLE', label: 'Prospect not reachable', kind: 'REJECTION' },
  { code: 'NO_COVERAGE', label: 'No network coverage at the address', kind: 'REJECTION' },
  { code: 'CREDIT_FAILED', label: 'Credit check failed', kind: 'REJECTION' },
  { code: 'DUPLICATE', label: 'Duplicate of another opportunity', kind: 'REJECTION' },
  { code: 'NOT_INTERESTED', label: 'Not interested', kind: 'REJECTION' },
  { code: 'PRICE', label: 'Price too high', kind: 'LOSS' },
  { code: 'COMPETITOR_OFFER', label: 'Chose a competitor’s offer', kind: 'LOSS' },
  { code: 'TIMING', label: 'Bad timing, contract still running', kind: 'LOSS' },
  { code: 'NO_DECISION', label: 'No decision made', kind: 'LOSS' },
];

/** Demo custom fields of opportunities (operator-specific parameters of the brochure). */
export const DEMO_CUSTOM_FIELDS: { key: string; label: string; type: CustomFieldType; options?: string[] }[] = [
  { key: 'target_close_date', label: 'Target close date', type: 'DATE' },
  { key: 'competitor_offer', label: 'Competitor offer', type: 'TEXT' },
  { key: 'contract_term', label: 'Contract term (months)', type: 'SELECT', options: ['12', '24', '36'] },
  { key: 'numbers_to_port', label: 'Numbers to port', type: 'NUMBER' },
  { key: 'site_survey_needed', label: 'Site survey needed', type: 'BOOLEAN' },
];
