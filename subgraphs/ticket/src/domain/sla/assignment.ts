import { loggerFor, notifyStaff, pickAssignee, type TeamCriteria, teamsFor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ITicket, OPEN_STATUSES, Ticket, TicketSla } from '../../entities/index.js';
import type { TicketServices } from '../services.js';
import { directoryCaller, ticketNumber } from './escalation.js';

/**
 * Assignment rules of a new ticket (after it is committed; a directory that cannot answer leaves it
 * unassigned, in nobody's queue, for an agent to take or assign by hand):
 * - the queue: the first SUPPORT team of the brand (or shared) that takes the work, most specific first
 *   (the customer subgraph's `teamsFor`): skill `partner` for a ticket a partner raised (the partner
 *   queue), otherwise the category as a skill (`technical`, `billing`, …); the account's segment;
 * - the agent: the team member with the fewest open tickets here, round robin among equals after the
 *   team's last assignee (kit `pickAssignee`);
 * - the agent is told with the `ticket.assigned` template.
 */
export function assignmentCriteria(ticket: Pick<ITicket, 'raisedByKind' | 'category' | 'segment'>): TeamCriteria {
  return { kind: 'SUPPORT', skill: ticket.raisedByKind === 'PARTNER' ? 'partner' : ticket.category.toLowerCase(), segment: ticket.segment };
}

/** Open tickets per agent among `staffIds` (this subgraph's own counts). */
export async function openLoad(em: EntityManager, staffIds: string[]): Promise<Map<string, number>> {
  if (!staffIds.length) return new Map();
  const rows = (await em.execute(
    `select assignee_staff_id as id, count(*)::int as n from "ticket"."ticket"
     where assignee_staff_id in (?) and status in (?) group by assignee_staff_id`,
    [staffIds, [...OPEN_STATUSES]],
  )) as { id: string; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}

export async function autoAssign(em: EntityManager, services: TicketServices, ticketId: string): Promise<ITicket | null> {
  const fork = em.fork();
  const ticket = await fork.findOne(Ticket, { id: ticketId });
  if (!ticket || ticket.assigneeStaffId || ticket.teamId) return ticket;
  try {
    const [team] = await teamsFor(directoryCaller(services, ticket.storefrontId), assignmentCriteria(ticket));
    if (!team) return ticket;
    const load = await openLoad(
      fork,
      team.members.map((m) => m.id),
    );
    const last = (await fork.findOne(
      Ticket,
      { teamId: team.id, assigneeStaffId: { $ne: null } },
      { orderBy: { createdAt: 'desc', id: 'desc' }, fields: ['assigneeStaffId'] },
    )) as ITicket | null;
    const agent = pickAssignee(team.members, load, last?.assigneeStaffId ?? null);
    // Only if nobody assigned it meanwhile; no version bump, so an agent's open edit stays valid.
    const changed = (await fork.execute(
      `update "ticket"."ticket" set team_id = ?, assignee_staff_id = ? where id = ? and team_id is null and assignee_staff_id is null returning id`,
      [team.id, agent?.id ?? null, ticket.id],
    )) as unknown[];
    if (!changed.length) return ticket;
    ticket.teamId = team.id;
    ticket.assigneeStaffId = agent?.id ?? null;
    if (agent) await notifyAssigned(fork, services, ticket);
  } catch (error) {
    loggerFor('ticket').warn({ err: error, ticketId }, 'ticket left unassigned: the staff directory did not answer');
  }
  return ticket;
}

/** Tells the ticket's assignee (after the commit that assigned it); a failure is logged, the assignment stands. */
export async function notifyAssigned(em: EntityManager, services: TicketServices, ticket: ITicket): Promise<void> {
  if (!ticket.assigneeStaffId) return;
  const sla = await em.fork().findOne(TicketSla, { ticketId: ticket.id });
  try {
    await notifyStaff(directoryCaller(services, ticket.storefrontId), [
      {
        staffId: ticket.assigneeStaffId,
        templateKey: 'ticket.assigned',
        dedupeKey: `ticket-assigned:${ticket.id}:${ticket.assigneeStaffId}:${ticket.version}`,
        variables: {
          ticketId: ticket.id,
          ticketNumber: ticketNumber(ticket.id),
          subject: ticket.subject,
          priority: ticket.priority,
          dueAt: sla?.resolutionDueAt?.toISOString() ?? null,
          url: null,
        },
      },
    ]);
  } catch (error) {
    loggerFor('ticket').warn({ err: error, ticketId: ticket.id }, 'assigned; the agent could not be told');
  }
}
