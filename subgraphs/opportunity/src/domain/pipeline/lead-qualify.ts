import { Checks, type Clock, type EventBus, fail, isUuid, type OutboxEvent, ok, type Peers, type Principal } from '@dcrm/kit';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomFieldDefinition, type ILead, type IOpportunity, Lead, Opportunity, type OpportunityType } from '../../entities/index.js';
import type { ErrorCode, Result } from '../opportunity.errors.js';
import { applyCustomFields, type CustomFieldInput } from './custom-fields.js';
import { closeDateOf, type LineInput, priceLines } from './details.js';
import { publishAfterCommit, recordEvent, SALES_EVENTS } from './events.js';
import { historyRow, writeLines } from './opportunity-write.js';
import { firstOpenStage, loadPipeline } from './stages.js';
import { isWriter, writerOf } from './write-access.js';

export type LeadQualifyInput = {
  leadId: string;
  name?: string | null;
  type?: OpportunityType | null;
  category?: string | null;
  lines?: LineInput[] | null;
  closeDate?: string | null;
  customFields?: CustomFieldInput[] | null;
};
export type QualifyDeps = { peers: Peers; clock: Clock; bus: EventBus };
export type Qualified = { lead: ILead; opportunity: IOpportunity };

const f = (...path: string[]) => ['input', ...path];
const QUALIFIABLE: ILead['status'][] = ['NEW', 'ACKNOWLEDGED', 'QUALIFIED'];

const nameOf = (lead: ILead) =>
  lead.company ?? ([lead.firstName, lead.lastName].filter(Boolean).join(' ') || lead.email || 'Qualified lead');

/**
 * Qualifies a lead: in one transaction the lead becomes QUALIFIED, its opportunity is created (at the
 * pipeline's first open stage, with the lead's account, segment, partner, contact, budget and products)
 * and `lead.qualified` goes to the outbox. A lead that already has an opportunity answers with it and
 * changes nothing (the unique lead id on opportunities settles two concurrent calls).
 */
export async function leadQualify(
  em: EntityManager,
  deps: QualifyDeps,
  principal: Principal,
  input: LeadQualifyInput,
): Promise<Result<Qualified>> {
  const writer = writerOf(principal);
  if (!isWriter(writer)) return { ok: false, errors: [writer] };
  const lead = isUuid(input.leadId) ? await em.findOne(Lead, { $and: [writer.scope, { id: input.leadId }] }) : null;
  if (!lead) return fail('NOT_FOUND', 'No such lead', f('leadId'));
  const existing = await em.findOne(Opportunity, { leadId: lead.id });
  if (existing) return ok({ lead, opportunity: existing });
  if (!QUALIFIABLE.includes(lead.status)) return fail('INVALID_STATUS', `A ${lead.status} lead cannot be qualified`, f('leadId'));
  const checks = new Checks<ErrorCode>();
  if (input.name != null) checks.text(input.name, f('name'), 200);
  const closeDate = input.closeDate ? closeDateOf(input.closeDate, checks, f('closeDate')) : null;
  const lines = input.lines ?? lead.productIds.map((productId) => ({ productId, quantity: 1 }));
  const drafts = checks.ok ? await priceLines(deps.peers, lead.storefrontId, lead.segment, lines, checks, f('lines')) : [];
  if (!checks.ok) return { ok: false, errors: checks.errors };

  const events: OutboxEvent[] = [];
  try {
    const result = await em.transactional(async (tx): Promise<Result<Qualified>> => {
      const locked = await tx.findOne(Lead, { id: lead.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      const already = await tx.findOne(Opportunity, { leadId: lead.id });
      if (!locked) return fail('NOT_FOUND', 'No such lead', f('leadId'));
      if (already) return ok({ lead: locked, opportunity: already });
      const pipeline = await loadPipeline(tx, lead.storefrontId);
      const stage = firstOpenStage(pipeline);
      const definitions = await tx.find(CustomFieldDefinition, { storefrontId: lead.storefrontId, entity: 'OPPORTUNITY' });
      const custom = applyCustomFields(definitions, {}, input.customFields ?? [], f('customFields'));
      for (const e of custom.errors) checks.add(e.code, e.message, e.field ?? []);
      if (!stage) checks.add('INVALID_STAGE', 'The pipeline has no open stage', f('leadId'));
      if (!checks.ok || !stage) return { ok: false, errors: checks.errors };
      const now = deps.clock.now();
      const name = [locked.firstName, locked.lastName].filter(Boolean).join(' ') || null;
      const opportunity = tx.create(Opportunity, {
        storefrontId: locked.storefrontId,
        customerId: locked.customerId,
        leadId: locked.id,
        partnerId: locked.partnerId,
        segment: locked.segment,
        ownerStaffId: locked.ownerStaffId ?? (principal.kind === 'staff' ? principal.id : null),
        name: input.name?.trim() || nameOf(locked),
        description: locked.description,
        type: input.type ?? (locked.customerId ? 'UPSELL' : 'NEW_CUSTOMER'),
        category: input.category?.trim() || locked.category,
        stage: stage.code,
        status: stage.status,
        stageEnteredAt: now,
        contact: { name, email: locked.email, mobile: locked.mobile, role: null },
        address: locked.address
          ? { line1: null, line2: null, city: null, region: null, postcode: null, country: null, ...locked.address }
          : null,
        budgetAmount: locked.budgetAmount,
        budgetCurrency: locked.budgetCurrency,
        closeDate,
        customFields: custom.values,
        createdBy: `${principal.kind}:${principal.id}`,
      });
      // Lines and history reference the opportunity row: it goes first.
      await tx.flush();
      writeLines(tx, opportunity, drafts);
      historyRow(tx, opportunity, principal, null, now, { note: 'Qualified from a lead' });
      locked.status = 'QUALIFIED';
      locked.qualifiedAt = now;
      events.push(
        recordEvent(tx, SALES_EVENTS.leadQualified, {
          storefrontId: locked.storefrontId,
          opportunityId: opportunity.id,
          leadId: locked.id,
          customerId: locked.customerId ?? null,
          segment: locked.segment,
          stage: stage.code,
          reasonCode: null,
          at: now.toISOString(),
        }),
      );
      await tx.flush();
      return ok({ lead: locked, opportunity });
    });
    if (result.ok) await publishAfterCommit(em, deps, events);
    return result;
  } catch (error) {
    // A concurrent qualification won the race: answer with its opportunity.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const fork = em.fork() as EntityManager;
    const opportunity = await fork.findOne(Opportunity, { leadId: lead.id });
    const fresh = await fork.findOne(Lead, { id: lead.id });
    if (!opportunity || !fresh) throw error;
    return ok({ lead: fresh, opportunity });
  }
}
