import { fail, hasScope, isUuid, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ILead, Lead, type LeadMergeEntry } from '../entities/index.js';
import { SCOPES, salesScope } from './access.js';
import type { Result } from './opportunity.errors.js';

/**
 * `leadMerge`: staff with `opportunity:write` fold duplicates into one survivor, all within their
 * segments of the acting brand (kit's brand guard holds the writes to it too). Each field the survivor
 * lacks is filled from the first merged lead that has it (interests are joined); merged leads become
 * MERGED with `mergedInto` and `duplicateOf` the survivor; the survivor's `mergeHistory` records who,
 * when, which leads and which fields came from where (the audit trail has the field diffs). Idempotent:
 * leads already merged into this survivor are left as they are; a converted lead or one merged
 * elsewhere is refused.
 */
export const MAX_MERGED = 20;

/** Fields filled from merged leads when the survivor has none (budget: amount and currency together). */
const FILLABLE = [
  'firstName',
  'lastName',
  'company',
  'email',
  'mobile',
  'address',
  'description',
  'source',
  'campaignId',
  'customerId',
  'ownerStaffId',
  'rating',
  'category',
] as const satisfies readonly (keyof ILead)[];

export type MergeInput = { survivorId: string; mergedIds: string[] };

export async function leadMerge(em: EntityManager, principal: Principal, input: MergeInput): Promise<Result<ILead>> {
  const scope = principal.kind === 'staff' && hasScope(principal, SCOPES.write) ? salesScope(principal, SCOPES.write) : null;
  if (!scope) return fail('FORBIDDEN', `Merging leads needs the ${SCOPES.write} scope`, ['input']);
  const mergedIds = [...new Set(input.mergedIds)];
  if (!isUuid(input.survivorId)) return fail('NOT_FOUND', 'No such lead', ['input', 'survivorId']);
  if (mergedIds.length === 0 || mergedIds.length > MAX_MERGED)
    return fail('INVALID', `Name 1 to ${MAX_MERGED} leads to merge`, ['input', 'mergedIds']);
  if (mergedIds.includes(input.survivorId)) return fail('INVALID', 'A lead cannot be merged into itself', ['input', 'mergedIds']);
  if (!mergedIds.every(isUuid)) return fail('NOT_FOUND', 'No such lead', ['input', 'mergedIds']);

  return em.transactional(async (tx) => {
    const rows = await tx.find(Lead, { $and: [scope, { id: { $in: [input.survivorId, ...mergedIds] } }] });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const survivor = byId.get(input.survivorId);
    if (!survivor) return fail('NOT_FOUND', 'No such lead', ['input', 'survivorId']);
    const missing = mergedIds.findIndex((id) => !byId.has(id));
    if (missing >= 0) return fail('NOT_FOUND', 'No such lead', ['input', 'mergedIds', String(missing)]);
    if (survivor.status === 'MERGED')
      return fail('INVALID_STATE', 'The survivor was itself merged into another lead', ['input', 'survivorId']);
    const merged = mergedIds.map((id) => byId.get(id) as ILead);
    for (const [i, lead] of merged.entries()) {
      if (lead.status === 'MERGED' && lead.mergedInto !== survivor.id)
        return fail('ALREADY_MERGED', 'This lead was merged into another one', ['input', 'mergedIds', String(i)]);
      if (lead.status === 'CONVERTED') return fail('INVALID_STATE', 'A converted lead cannot be merged', ['input', 'mergedIds', String(i)]);
    }
    const todo = merged.filter((l) => l.status !== 'MERGED');
    if (todo.length === 0) return ok(survivor);

    const filled: LeadMergeEntry['filled'] = [];
    const empty = (v: unknown) => v == null || v === '';
    for (const field of FILLABLE) {
      if (!empty(survivor[field])) continue;
      const from = todo.find((l) => !empty(l[field]));
      if (!from) continue;
      Object.assign(survivor, { [field]: from[field] });
      filled.push({ field, from: from.id });
    }
    if (survivor.budgetAmount == null) {
      const from = todo.find((l) => l.budgetAmount != null);
      if (from) {
        Object.assign(survivor, { budgetAmount: from.budgetAmount, budgetCurrency: from.budgetCurrency });
        filled.push({ field: 'budget', from: from.id });
      }
    }
    const interests = [...new Set([...survivor.productIds, ...todo.flatMap((l) => l.productIds)])];
    if (interests.length > survivor.productIds.length) {
      survivor.productIds = interests;
      filled.push({ field: 'productIds', from: todo.map((l) => l.id).join(',') });
    }
    survivor.mergeHistory = [
      ...survivor.mergeHistory,
      { at: new Date().toISOString(), by: principal.id, mergedIds: todo.map((l) => l.id), filled },
    ];
    if (survivor.duplicateOf && mergedIds.includes(survivor.duplicateOf)) survivor.duplicateOf = null;
    for (const lead of todo) Object.assign(lead, { status: 'MERGED', mergedInto: survivor.id, duplicateOf: survivor.id });
    return ok(survivor);
  });
}
