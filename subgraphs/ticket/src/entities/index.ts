import { Article, ArticleDeflection, ArticleStatusChange, TicketArticle } from './article.entity.js';
import { BusinessCalendarRow, SlaPolicy, TicketSla } from './sla.entity.js';
import { Ticket } from './ticket.entity.js';
import { TicketAttachment, TicketComment, TicketStatusChange } from './ticket-activity.entity.js';

export * from './article.entity.js';
export * from './article.repository.js';
export * from './sla.entity.js';
export * from './ticket.entity.js';
export * from './ticket.repository.js';
export * from './ticket-activity.entity.js';

export const entities = [
  Ticket,
  TicketStatusChange,
  TicketComment,
  TicketAttachment,
  Article,
  ArticleStatusChange,
  ArticleDeflection,
  TicketArticle,
  BusinessCalendarRow,
  SlaPolicy,
  TicketSla,
];
