import { Ticket } from './ticket.entity.js';

export * from './ticket.entity.js';
export * from './ticket.repository.js';

export const entities = [Ticket];
