import { mergeResolvers } from '@dcrm/kit';
import { accountTicketResolvers } from './account-tickets.js';
import { articleResolvers } from './articles.js';
import type { TicketResolvers } from './context.js';
import { dashboardResolvers } from './dashboard.js';
import { slaResolvers } from './sla.js';
import { ticketActivityResolvers } from './ticket-activity.js';
import { ticketMutationResolvers } from './ticket-mutations.js';
import { ticketReplyResolvers } from './ticket-replies.js';
import { ticketResolvers } from './tickets.js';

export const resolvers: TicketResolvers = mergeResolvers(
  ticketResolvers,
  ticketActivityResolvers,
  accountTicketResolvers,
  ticketMutationResolvers,
  articleResolvers,
  dashboardResolvers,
  ticketReplyResolvers,
  slaResolvers,
);
