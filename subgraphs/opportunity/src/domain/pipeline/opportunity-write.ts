import { Checks, type Clock, fail, isUuid, ok, type Peers, type Principal } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { accountOf } from '../../clients/accounts.js';
import {
  CustomFieldDefinition,
  type IOpportunity,
  Opportunity,
  OpportunityHistory,
  OpportunityLine,
  type OpportunityType,
} from '../../entities/index.js';
import type { ErrorCode, Result } from '../opportunity.errors.js';
import { writableOpportunity } from '../work/access.js';
import { staffErrors } from '../work/staff-checks.js';
import { applyCustomFields, type CustomFieldInput } from './custom-fields.js';
import * as d from './details.js';
import { firstOpenStage, loadPipeline } from './stages.js';
import { estimate } from './values.js';
import { actorOf, isWriter, maySegment, type Writer, writerOf } from './write-access.js';

export type WriteDeps = { peers: Peers; clock: Clock };

type Details = {
  name?: string | null;
  description?: string | null;
  type?: OpportunityType | null;
  category?: string | null;
  ownerStaffId?: string | null;
  lines?: d.LineInput[] | null;
  contact?: d.ContactInput | null;
  address?: d.AddressInput | null;
  credit?: d.CreditInput | null;
  budget?: d.BudgetInput | null;
  closeDate?: string | null;
  customFields?: CustomFieldInput[] | null;
};
export type OpportunityCreateInput = Details & { name: string; customerId?: string | null; segment?: string | null; stage?: string | null };
export type OpportunityUpdateInput = Details & { id: string; version: number };

const f = (...path: string[]) => ['input', ...path];

/** The scalar and JSON columns an input sets (absent fields: left alone). */
function columnsOf(input: Details, checks: Checks<ErrorCode>): Partial<IOpportunity> {
  const out: Partial<IOpportunity> = {};
  if (input.name != null) {
    checks.text(input.name, f('name'), 200);
    out.name = input.name.trim();
  }
  if (input.description !== undefined) {
    checks.text(input.description, f('description'), 5000, false);
    out.description = input.description?.trim() || null;
  }
  if (input.type != null) out.type = input.type;
  if (input.category !== undefined) {
    if (input.category != null && !/^[A-Z][A-Z0-9_]{0,63}$/.test(input.category.trim()))
      checks.add('INVALID', 'Upper-case letters, digits and _ (e.g. SME_FIBRE)', f('category'));
    out.category = input.category?.trim() || null;
  }
  if (input.ownerStaffId !== undefined) {
    checks.uuid(input.ownerStaffId, f('ownerStaffId'));
    out.ownerStaffId = input.ownerStaffId ?? null;
  }
  if (input.contact !== undefined) out.contact = input.contact ? d.contactOf(input.contact, checks, f('contact')) : null;
  if (input.address !== undefined) out.address = input.address ? d.addressOf(input.address, checks, f('address')) : null;
  if (input.credit !== undefined) out.credit = input.credit ? d.creditOf(input.credit, checks, f('credit')) : null;
  if (input.budget !== undefined) {
    const budget = input.budget ? d.budgetOf(input.budget, checks, f('budget')) : null;
    out.budgetAmount = budget?.amount ?? null;
    out.budgetCurrency = budget?.currency ?? null;
  }
  if (input.closeDate !== undefined) out.closeDate = input.closeDate ? d.closeDateOf(input.closeDate, checks, f('closeDate')) : null;
  return out;
}

/** Replaces an opportunity's lines with priced drafts and stores their estimate on it. */
export function writeLines(tx: EntityManager, opportunity: IOpportunity, drafts: d.LineDraft[]): void {
  for (const [i, line] of drafts.entries()) {
    tx.create(OpportunityLine, {
      opportunityId: opportunity.id,
      storefrontId: opportunity.storefrontId,
      productId: line.productId,
      name: line.name,
      kind: line.kind,
      quantity: line.quantity,
      position: i + 1,
      oneOff: line.oneOff,
      monthly: line.monthly,
      currency: line.currency,
    });
  }
  const value = estimate(drafts);
  opportunity.estimatedOneOff = value.oneOff;
  opportunity.estimatedMonthly = value.monthly;
  opportunity.estimatedFirstYear = value.firstYear;
  opportunity.estimatedCurrency = value.currency;
  if (opportunity.budgetAmount != null && opportunity.budgetCurrency == null) opportunity.budgetCurrency = value.currency;
}

/** Applies custom field inputs to an opportunity's values against the storefront's definitions. */
async function customFields(
  tx: EntityManager,
  storefrontId: string,
  current: IOpportunity['customFields'],
  inputs: CustomFieldInput[],
  checks: Checks<ErrorCode>,
) {
  const definitions = await tx.find(CustomFieldDefinition, { storefrontId, entity: 'OPPORTUNITY' }, { orderBy: { position: 'asc' } });
  const { values, errors } = applyCustomFields(definitions, current ?? {}, inputs, f('customFields'));
  for (const e of errors) checks.add(e.code, e.message, e.field ?? []);
  return values;
}

export function historyRow(
  tx: EntityManager,
  o: IOpportunity,
  principal: Principal,
  from: string | null,
  at: Date,
  extra: Partial<{ reasonCode: string | null; reasonLabel: string | null; competitor: string | null; note: string | null }> = {},
) {
  tx.create(OpportunityHistory, {
    opportunityId: o.id,
    storefrontId: o.storefrontId,
    fromStage: from,
    toStage: o.stage,
    toStatus: o.status,
    ...actorOf(principal),
    reasonCode: extra.reasonCode ?? null,
    reasonLabel: extra.reasonLabel ?? null,
    competitor: extra.competitor ?? null,
    note: extra.note ?? null,
    at,
  });
}

/** Segment and partner of a new opportunity: the account's, or a prospect's given segment. */
async function ownership(deps: WriteDeps, writer: Writer, input: OpportunityCreateInput, checks: Checks<ErrorCode>) {
  const { principal } = writer;
  let segment = input.segment?.trim() || 'consumer';
  let partnerId = principal.kind === 'partner' ? principal.partnerId : null;
  let customerId: string | null = null;
  if (input.customerId != null) {
    const account = isUuid(input.customerId) ? await accountOf(deps.peers, principal, input.customerId) : null;
    if (!account) checks.add('NOT_FOUND', 'No such customer', f('customerId'));
    else {
      customerId = account.id;
      segment = account.segment;
      partnerId ??= account.partner?.id ?? null;
    }
  } else if (!input.contact?.name && !input.contact?.email && !input.contact?.mobile) {
    checks.add('REQUIRED', 'A prospect needs a contact (name, email or mobile), or give a customerId', f('contact'));
  }
  if (!maySegment(principal, segment))
    checks.add('FORBIDDEN', `Not one of your segments: ${segment}`, f(input.customerId ? 'customerId' : 'segment'));
  return { segment, partnerId, customerId };
}

export async function opportunityCreate(
  em: EntityManager,
  deps: WriteDeps,
  principal: Principal,
  input: OpportunityCreateInput,
): Promise<Result<IOpportunity>> {
  const writer = writerOf(principal);
  if (!isWriter(writer)) return { ok: false, errors: [writer] };
  const checks = new Checks<ErrorCode>();
  const columns = columnsOf(input, checks);
  const owner = await ownership(deps, writer, input, checks);
  if (checks.ok && input.ownerStaffId)
    for (const e of await staffErrors(deps.peers, writer.storefrontId, owner.segment, [
      { staffId: input.ownerStaffId, field: f('ownerStaffId') },
    ]))
      checks.add(e.code, e.message, e.field ?? []);
  const drafts = checks.ok ? await d.priceLines(deps.peers, writer.storefrontId, owner.segment, input.lines ?? [], checks, f('lines')) : [];
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const pipeline = await loadPipeline(tx, writer.storefrontId);
    const stage = input.stage ? pipeline.stage(input.stage) : firstOpenStage(pipeline);
    if (stage?.status !== 'OPEN') checks.add('INVALID_STAGE', 'Start in an open stage of this pipeline', f('stage'));
    const values = await customFields(tx, writer.storefrontId, {}, input.customFields ?? [], checks);
    if (!checks.ok || !stage) return { ok: false, errors: checks.errors } as Result<IOpportunity>;
    const now = deps.clock.now();
    const opportunity = tx.create(Opportunity, {
      storefrontId: writer.storefrontId,
      ...owner,
      leadId: null,
      ownerStaffId: principal.kind === 'staff' ? principal.id : null,
      type: 'NEW_CUSTOMER',
      ...columns,
      name: columns.name as string,
      stage: stage.code,
      status: stage.status,
      stageEnteredAt: now,
      customFields: values,
      createdBy: `${principal.kind}:${principal.id}`,
    });
    // Lines and history reference the opportunity row: it goes first.
    await tx.flush();
    writeLines(tx, opportunity, drafts);
    historyRow(tx, opportunity, principal, null, now);
    await tx.flush();
    return ok(opportunity);
  });
}

export async function opportunityUpdate(
  em: EntityManager,
  deps: WriteDeps,
  principal: Principal,
  input: OpportunityUpdateInput,
): Promise<Result<IOpportunity>> {
  const writer = writerOf(principal);
  if (!isWriter(writer)) return { ok: false, errors: [writer] };
  // Its segment scope's, or owned or shared with write (a read share: FORBIDDEN).
  const reached = await writableOpportunity(em, principal, input.id, f('id'));
  if (!reached.ok) return reached;
  const found = reached.value;
  const checks = new Checks<ErrorCode>();
  const { id: _id, version: _version, lines, customFields: fields, ...rest } = input;
  const columns = columnsOf(rest, checks);
  if (checks.ok && input.ownerStaffId && input.ownerStaffId !== found.ownerStaffId)
    for (const e of await staffErrors(deps.peers, found.storefrontId, found.segment, [
      { staffId: input.ownerStaffId, field: f('ownerStaffId') },
    ]))
      checks.add(e.code, e.message, e.field ?? []);
  const drafts = lines && checks.ok ? await d.priceLines(deps.peers, found.storefrontId, found.segment, lines, checks, f('lines')) : null;
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const again = await writableOpportunity(tx, principal, input.id, f('id'), { refresh: true });
    if (!again.ok) return again;
    const opportunity = again.value;
    if (opportunity.version !== input.version)
      return fail('CONFLICT', `The opportunity changed since version ${input.version}; reload it`, f('version'));
    const values = fields ? await customFields(tx, opportunity.storefrontId, opportunity.customFields, fields, checks) : null;
    if (!checks.ok) return { ok: false, errors: checks.errors } as Result<IOpportunity>;
    // An ordered opportunity (sale orders: `opportunityConvert`) keeps the lines it was ordered with.
    if (drafts && opportunity.orderId) return fail('CONVERTED', 'The opportunity was ordered; its lines no longer change', f('lines'));
    Object.assign(opportunity, columns);
    if (values) opportunity.customFields = values;
    if (drafts) {
      await tx.nativeDelete(OpportunityLine, { opportunityId: opportunity.id });
      writeLines(tx, opportunity, drafts);
    }
    // Every accepted update is a new version, even one that changes only lines.
    opportunity.updatedAt = deps.clock.now();
    try {
      await tx.flush();
    } catch (error) {
      if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The opportunity changed meanwhile; reload it', f('version'));
      throw error;
    }
    return ok(opportunity);
  });
}
