import { mergeResolvers } from '@dcrm/kit';
import { articleResolvers } from './articles.js';
import type { TicketResolvers } from './context.js';
import { dashboardResolvers } from './dashboard.js';
import { ticketResolvers } from './tickets.js';

export const resolvers: TicketResolvers = mergeResolvers(ticketResolvers, articleResolvers, dashboardResolvers);
