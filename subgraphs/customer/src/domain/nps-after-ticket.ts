import { type EventBus, loggerFor, type MikroORM, TICKET_EVENTS, type TicketResolvedEvent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NpsSurvey } from '../entities/index.js';
import type { ChannelAdapters } from './notifications/adapters.js';
import { type SendResult, sendNotifications } from './notifications/send.js';

/** The template an NPS survey goes out with after a resolved ticket (default in migration 20261201-271). */
export const NPS_AFTER_TICKET_TEMPLATE = 'nps.afterTicket';

/**
 * After a ticket is resolved (`ticket.resolved`, the ticket subgraph's outbox), the storefront's active
 * NPS survey goes to the account through the notification service (consents and preferences apply;
 * preference type `SURVEYS`), once per ticket (dedupe key `nps:ticket:<id>`, so a reopened and resolved
 * again ticket, or an event heard by several instances, asks once). The answer comes back through
 * `npsRespond` with `contextType: "ticket"` and the ticket's id. No active survey: nothing is sent.
 */
export async function surveyAfterTicket(
  em: EntityManager,
  adapters: ChannelAdapters,
  event: TicketResolvedEvent,
): Promise<SendResult[] | null> {
  if (!event?.storefrontId || !event.customerId || !event.ticketId) return null;
  const survey = await em.findOne(NpsSurvey, { storefrontId: event.storefrontId, active: true }, { orderBy: { createdAt: 'desc' } });
  if (!survey) return null;
  const sent = await sendNotifications(em, adapters, event.storefrontId, [
    {
      customerId: event.customerId,
      templateKey: NPS_AFTER_TICKET_TEMPLATE,
      variables: { question: survey.question, surveyId: survey.id, contextType: 'ticket', contextId: event.ticketId },
      preferenceType: 'SURVEYS',
      marketing: false,
      dedupeKey: `nps:ticket:${event.ticketId}`,
    },
  ]);
  return sent.ok ? sent.value : null;
}

/** Listens for resolved tickets; returns the unsubscribe. A failure is logged, never thrown into the bus. */
export async function startSurveysAfterTickets(orm: MikroORM, bus: EventBus, adapters: ChannelAdapters): Promise<() => Promise<void>> {
  return bus.subscribe(TICKET_EVENTS.resolved, (payload) => {
    surveyAfterTicket(orm.em.fork() as EntityManager, adapters, payload as TicketResolvedEvent).catch((error) =>
      loggerFor('customer').error({ err: error }, 'NPS survey after a ticket not sent'),
    );
  });
}
