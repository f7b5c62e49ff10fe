import { staffManagerChain, teamMembers } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Opportunity, OpportunityRouting, PipelineStage } from '../../entities/index.js';
import type { OpportunityServices } from '../services.js';
import { dueAt, type EscalationPayload, scheduleEscalation } from './activity.js';
import { directoryFor, notifyAfterCommit, opportunityUrl } from './directory.js';

export type EscalationOutcome = 'GONE' | 'CLOSED' | 'NO_LIMIT' | 'NOT_DUE' | 'NO_OWNER' | 'TOP_OF_CHAIN' | 'ESCALATED' | 'RACED';

const DAY = 86_400_000;

/**
 * The escalation job of one opportunity (key `opportunity-escalation:<id>`). It re-reads the state: an
 * open opportunity idle (no stage move, task or note) for its stage's `idleLimitHours` escalates to
 * its owner's manager (level 1), after twice the limit to the next manager up (level 2)… Each level of
 * an idle period is recorded on the opportunity's routing row and notified once (`opportunity.escalated`,
 * deduplicated): a re-run, a stale job or a retry sends nothing twice. Not yet due: requeued for then.
 */
export async function runEscalation(
  em: EntityManager,
  services: OpportunityServices,
  payload: EscalationPayload,
): Promise<EscalationOutcome> {
  const read = em.fork() as EntityManager;
  const opportunity = await read.findOne(Opportunity, { id: payload.opportunityId });
  if (!opportunity) return 'GONE';
  if (opportunity.status !== 'OPEN') return 'CLOSED';
  const stage = await read.findOne(PipelineStage, { storefrontId: opportunity.storefrontId, code: opportunity.stage });
  if (!stage?.idleLimitHours) return 'NO_LIMIT';
  const routing = await read.findOne(OpportunityRouting, { opportunityId: opportunity.id });
  const entered = opportunity.stageEnteredAt ?? opportunity.createdAt;
  const since = new Date(Math.max(entered.getTime(), routing?.lastActivityAt?.getTime() ?? 0));
  const samePeriod = routing?.idleSince?.getTime() === since.getTime();
  const level = (samePeriod ? (routing?.escalationLevel ?? 0) : 0) + 1;
  const due = dueAt(since, stage.idleLimitHours, level) as Date;
  const now = services.clock.now();
  if (now < due) {
    await scheduleEscalation(read, opportunity.id, due);
    return 'NOT_DUE';
  }
  if (!opportunity.ownerStaffId) return 'NO_OWNER';
  const directory = directoryFor(services, opportunity.storefrontId);
  const chain = await staffManagerChain(directory, opportunity.ownerStaffId);
  const manager = chain[level - 1];
  if (!manager) return 'TOP_OF_CHAIN';
  const ownerName = routing?.teamId
    ? ((await teamMembers(directory, routing.teamId)).find((m) => m.id === opportunity.ownerStaffId)?.name ?? null)
    : null;

  // Record the level only if nobody did meanwhile (same idle period, same level): the notification follows one winner.
  const recorded = await em.fork().transactional(async (tx) => {
    const rows = (await tx.execute(
      `insert into "opportunity"."opportunity_routing" as r (opportunity_id, storefront_id, idle_since, escalation_level, escalated_at, escalated_to, updated_at)
       values (?, ?, ?, ?, ?, ?, ?)
       on conflict (opportunity_id) do update set idle_since = excluded.idle_since, escalation_level = excluded.escalation_level,
         escalated_at = excluded.escalated_at, escalated_to = excluded.escalated_to, updated_at = excluded.updated_at
       where (case when r.idle_since = excluded.idle_since then r.escalation_level else 0 end) = ?
         and coalesce(r.last_activity_at, '-infinity') <= excluded.idle_since
       returning opportunity_id`,
      [opportunity.id, opportunity.storefrontId, since, level, now, manager.id, now, level - 1],
    )) as unknown[];
    if (rows.length === 0) return false;
    await scheduleEscalation(tx, opportunity.id, dueAt(since, stage.idleLimitHours, level + 1));
    return true;
  });
  if (!recorded) return 'RACED';
  await notifyAfterCommit(services, opportunity.storefrontId, [
    {
      staffId: manager.id,
      templateKey: 'opportunity.escalated',
      variables: {
        opportunityId: opportunity.id,
        opportunityName: opportunity.name,
        stage: stage.name,
        idleDays: String(Math.floor((now.getTime() - since.getTime()) / DAY)),
        ownerName,
        url: opportunityUrl(opportunity.id),
      },
      dedupeKey: `opportunity-escalation:${opportunity.id}:${since.toISOString()}:${level}`,
    },
  ]);
  return 'ESCALATED';
}
