import { Checks, fail, forbidden, hasScope, isUuid, ok, type Principal } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ILead, Lead, type LeadStatus } from '../entities/index.js';
import { SCOPES, salesScope } from './access.js';
import { checkReachable, type LeadFieldsInput, leadFields } from './lead-input.js';
import { checkReferences, matchAccount } from './lead-links.js';
import { staffSegment } from './lead-write.js';
import type { ErrorCode, Result } from './opportunity.errors.js';
import type { OpportunityServices } from './services.js';

export type LeadUpdateInput = LeadFieldsInput & {
  id: string;
  version: number;
  status?: LeadStatus | null;
  rejectionReason?: string | null;
};

/** Status moves `leadUpdate` makes; QUALIFIED and CONVERTED have their own operations. */
const MOVES: Record<LeadStatus, LeadStatus[]> = {
  NEW: ['ACKNOWLEDGED', 'REJECTED'],
  ACKNOWLEDGED: ['REJECTED'],
  REJECTED: ['ACKNOWLEDGED'],
  QUALIFIED: ['REJECTED'],
  CONVERTED: [],
  // Folded into another lead (leadMerge): it stays as it is.
  MERGED: [],
};

/** Whether `from` → `to` is a move `leadUpdate` makes (pure, for the spec). */
export const mayMove = (from: LeadStatus, to: LeadStatus): boolean => from === to || MOVES[from].includes(to);

/** A lead the caller may change (staff with `opportunity:write` in its segment, its partner), or null. */
export async function writableLead(em: EntityManager, principal: Principal, id: string): Promise<ILead | null> {
  if (principal.kind === 'staff' && !hasScope(principal, SCOPES.write)) throw forbidden(`Missing scope ${SCOPES.write}`);
  const scope = salesScope(principal, SCOPES.write);
  return scope && isUuid(id) ? em.findOne(Lead, { $and: [scope, { id }] }) : null;
}

/**
 * `leadUpdate`: the fields given, checked as at capture; a changed email or mobile is matched to an
 * account again when the lead has none. A stale `version` is CONFLICT and writes nothing.
 */
export async function leadUpdate(
  em: EntityManager,
  services: OpportunityServices,
  principal: Principal,
  input: LeadUpdateInput,
): Promise<Result<ILead>> {
  const lead = await writableLead(em, principal, input.id);
  if (!lead) return fail('NOT_FOUND', 'No such lead', ['input', 'id']);
  const checks = new Checks<ErrorCode>();
  const { id: _id, version, status, rejectionReason, ...rest } = input;
  const fields = leadFields(rest, checks);
  checkReachable(checks, { email: lead.email, mobile: lead.mobile, ...fields });
  if (fields.ownerStaffId !== undefined && principal.kind !== 'staff') {
    checks.add('FORBIDDEN', 'Only staff assign owners', ['input', 'ownerStaffId']);
  }
  const next = status ?? lead.status;
  if (!mayMove(lead.status, next)) checks.add('INVALID_TRANSITION', `A ${lead.status} lead cannot become ${next}`, ['input', 'status']);
  const reason = rejectionReason?.trim() || null;
  if (next === 'REJECTED' && lead.status !== 'REJECTED' && !reason) {
    checks.add('REQUIRED', 'Say why the lead is rejected', ['input', 'rejectionReason']);
  }
  if (reason && reason.length > 500) checks.add('TOO_LONG', 'At most 500 characters', ['input', 'rejectionReason']);
  if (lead.version !== version) checks.add('CONFLICT', `The lead changed since version ${version}; reload it`, ['input', 'version']);
  await checkReferences(services, principal, lead.storefrontId, fields, checks);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const contactChanged = (fields.email && fields.email !== lead.email) || (fields.mobile && fields.mobile !== lead.mobile);
  if (!lead.customerId && contactChanged) {
    const account = await matchAccount(services, lead.storefrontId, {
      email: fields.email ?? lead.email,
      mobile: fields.mobile ?? lead.mobile,
    });
    const visible =
      account && (principal.kind === 'staff' ? staffSegment(principal, account.segment) : account.partnerId === principal.partnerId);
    // Linked only within the lead's own segment, so the lead stays where its readers are.
    if (account && visible && account.segment === lead.segment) lead.customerId = account.id;
  }
  Object.assign(lead, fields);
  if (next !== lead.status) {
    lead.status = next;
    lead.rejectionReason = next === 'REJECTED' ? reason : null;
  } else if (next === 'REJECTED' && reason) lead.rejectionReason = reason;
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The lead changed meanwhile; reload it', ['input', 'version']);
    throw error;
  }
  return ok(lead);
}
