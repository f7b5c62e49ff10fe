import { Checks, type Clock, type EventBus, fail, type OutboxEvent, ok, type Principal } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, OpportunityReason, type ReasonKind } from '../../entities/index.js';
import type { ErrorCode, Result } from '../opportunity.errors.js';
import { writableOpportunity } from '../work/access.js';
import { publishAfterCommit, recordEvent, SALES_EVENTS } from './events.js';
import { runGuards } from './guards.js';
import { historyRow } from './opportunity-write.js';
import { loadPipeline } from './stages.js';
import { isWriter, writerOf } from './write-access.js';

export type TransitionInput = {
  id: string;
  to: string;
  reasonCode?: string | null;
  competitor?: string | null;
  note?: string | null;
  version: number;
};
export type TransitionDeps = { clock: Clock; bus: EventBus };

const f = (...path: string[]) => ['input', ...path];

/** Which managed reasons a closing status takes. */
const REASON_KIND: Record<string, ReasonKind | undefined> = { REJECTED: 'REJECTION', LOST: 'LOSS' };

/**
 * Moves an opportunity along an allowed transition of its storefront's pipeline: the transition's
 * required input present, its guards passed, at the version the caller read. Records a history row;
 * entering WON or LOST records `opportunity.won` / `opportunity.lost` in the outbox, published after commit.
 */
export async function opportunityTransition(
  em: EntityManager,
  deps: TransitionDeps,
  principal: Principal,
  input: TransitionInput,
): Promise<Result<IOpportunity>> {
  const writer = writerOf(principal);
  if (!isWriter(writer)) return { ok: false, errors: [writer] };
  const events: OutboxEvent[] = [];
  const result = await em.transactional(async (tx): Promise<Result<IOpportunity>> => {
    // Its segment scope's, or owned or shared with write (a read share: FORBIDDEN).
    const reached = await writableOpportunity(tx, principal, input.id, f('id'));
    if (!reached.ok) return reached;
    const opportunity = reached.value;
    if (opportunity.version !== input.version)
      return fail('CONFLICT', `The opportunity changed since version ${input.version}; reload it`, f('version'));
    const pipeline = await loadPipeline(tx, opportunity.storefrontId);
    const from = pipeline.stage(opportunity.stage);
    const to = pipeline.stage(input.to);
    if (!from || !to) return fail('INVALID_STAGE', `No stage ${input.to} in this pipeline`, f('to'));
    const transition = pipeline.transition(from.code, to.code);
    if (!transition) return fail('INVALID_TRANSITION', `${from.name} cannot move to ${to.name}`, f('to'));
    const checks = new Checks<ErrorCode>();
    const required = new Set(transition.requiredFields);
    checks.text(input.note, f('note'), 2000, false);
    checks.text(input.competitor, f('competitor'), 200, false);
    if (required.has('note') && !input.note?.trim()) checks.add('REQUIRED', `Add a note to move to ${to.name}`, f('note'));
    if (required.has('competitor') && !input.competitor?.trim()) checks.add('REQUIRED', 'Name the competitor', f('competitor'));
    let reason: { code: string; label: string } | null = null;
    if (input.reasonCode || required.has('reasonCode')) {
      const kind = REASON_KIND[to.status];
      const found = input.reasonCode
        ? await tx.findOne(OpportunityReason, {
            storefrontId: opportunity.storefrontId,
            code: input.reasonCode,
            active: true,
            ...(kind ? { kind } : {}),
          })
        : null;
      if (found) reason = { code: found.code, label: found.label };
      else if (input.reasonCode)
        checks.add(
          'INVALID_REASON',
          `No active ${kind?.toLowerCase() ?? ''} reason ${input.reasonCode}`.replace('  ', ' '),
          f('reasonCode'),
        );
      else checks.add('REQUIRED', `Give a reason to move to ${to.name}`, f('reasonCode'));
    }
    if (checks.ok)
      for (const e of await runGuards(transition.guards, { tx, principal, opportunity, from, to }))
        checks.add(e.code, e.message, e.field ?? f('to'));
    if (!checks.ok) return { ok: false, errors: checks.errors };

    const now = deps.clock.now();
    opportunity.stage = to.code;
    opportunity.status = to.status;
    opportunity.stageEnteredAt = now;
    if (to.status === 'OPEN') {
      Object.assign(opportunity, { closedAt: null, closeReasonCode: null, competitor: null });
    } else {
      opportunity.closedAt = now;
      opportunity.closeDate = now.toISOString().slice(0, 10);
      opportunity.closeReasonCode = reason?.code ?? null;
      opportunity.competitor = input.competitor?.trim() || null;
    }
    historyRow(tx, opportunity, principal, from.code, now, {
      reasonCode: reason?.code ?? null,
      reasonLabel: reason?.label ?? null,
      competitor: input.competitor?.trim() || null,
      note: input.note?.trim() || null,
    });
    const type = to.status === 'WON' ? SALES_EVENTS.opportunityWon : to.status === 'LOST' ? SALES_EVENTS.opportunityLost : null;
    if (type)
      events.push(
        recordEvent(tx, type, {
          storefrontId: opportunity.storefrontId,
          opportunityId: opportunity.id,
          leadId: opportunity.leadId ?? null,
          customerId: opportunity.customerId ?? null,
          segment: opportunity.segment,
          stage: to.code,
          reasonCode: reason?.code ?? null,
          at: now.toISOString(),
        }),
      );
    try {
      await tx.flush();
    } catch (error) {
      if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The opportunity changed meanwhile; reload it', f('version'));
      throw error;
    }
    return ok(opportunity);
  });
  if (result.ok) await publishAfterCommit(em, deps, events);
  return result;
}
