import { mergeResolvers } from '@dcrm/kit';
import type { TicketResolvers } from './context.js';
import { ticketResolvers } from './tickets.js';

export const resolvers: TicketResolvers = mergeResolvers(ticketResolvers);
