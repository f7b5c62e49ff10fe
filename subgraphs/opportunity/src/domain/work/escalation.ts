import { brandCalendar, type StaffContact, staffManagerChain, teamManager, teamMembers, teamsFor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IOpportunity, type IOpportunityRouting, Opportunity, OpportunityRouting, PipelineStage } from '../../entities/index.js';
import type { OpportunityServices } from '../services.js';
import { type EscalationPayload, idleDueAt, scheduleEscalation } from './activity.js';
import { directoryFor, notifyAfterCommit, opportunityUrl } from './directory.js';

export type EscalationOutcome = 'GONE' | 'CLOSED' | 'NO_LIMIT' | 'NOT_DUE' | 'NO_MANAGER' | 'TOP_OF_CHAIN' | 'ESCALATED' | 'RACED';

/**
 * Who hears of escalation `level`. An owned opportunity: the owner's manager chain, one step up per
 * level. An unowned one (a partner's queue, a team nobody took it from): the manager of the team it is
 * queued to — who hands out that team's work — or, without one, of the brand's sales team for its
 * segment and region (`teamsFor`); higher levels climb that manager's chain. Null when there is nobody
 * (`NO_MANAGER`) or nobody left above (`TOP_OF_CHAIN`).
 */
async function escalationTarget(
  services: OpportunityServices,
  o: IOpportunity,
  routing: IOpportunityRouting | null,
  level: number,
): Promise<StaffContact | 'NO_MANAGER' | 'TOP_OF_CHAIN'> {
  const directory = directoryFor(services, o.storefrontId);
  if (o.ownerStaffId) return (await staffManagerChain(directory, o.ownerStaffId))[level - 1] ?? 'TOP_OF_CHAIN';
  let first = routing?.teamId ? await teamManager(directory, routing.teamId) : null;
  if (!first) {
    const teams = await teamsFor(directory, {
      kind: 'SALES',
      segment: o.segment,
      ...(o.address?.region ? { region: o.address.region } : {}),
    });
    first = teams.find((t) => t.manager)?.manager ?? null;
  }
  if (!first) return 'NO_MANAGER';
  if (level === 1) return first;
  return (await staffManagerChain(directory, first.id))[level - 2] ?? 'TOP_OF_CHAIN';
}

const DAY = 86_400_000;

/**
 * The escalation job of one opportunity (key `opportunity-escalation:<id>`). It re-reads the state: an
 * open opportunity idle (no stage move, task or note) for its stage's `idleLimitHours` of business time
 * (the brand's calendar, asked of the ticket subgraph: `idleDueAt`) escalates to its owner's manager
 * (level 1), after twice the limit to the next manager up (level 2)…; an unowned one to its team's
 * manager (`escalationTarget`). The calendar is read on every run, so a changed calendar applies. Each level of
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
  // A ticket subgraph that cannot answer throws: the worker retries later rather than guess the hours.
  const calendar = await brandCalendar({ ticket: services.peers('ticket'), source: 'opportunity', storefrontId: opportunity.storefrontId });
  const due = idleDueAt(calendar, since, stage.idleLimitHours, level) as Date;
  const now = services.clock.now();
  if (now < due) {
    await scheduleEscalation(read, opportunity.id, due);
    return 'NOT_DUE';
  }
  const manager = await escalationTarget(services, opportunity, routing, level);
  if (typeof manager === 'string') return manager;
  const directory = directoryFor(services, opportunity.storefrontId);
  const ownerName =
    routing?.teamId && opportunity.ownerStaffId
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
    await scheduleEscalation(tx, opportunity.id, idleDueAt(calendar, since, stage.idleLimitHours, level + 1));
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
