import { Article, ArticleDeflection, ArticleStatusChange, TicketArticle } from './article.entity.js';
import { Ticket } from './ticket.entity.js';

export * from './article.entity.js';
export * from './article.repository.js';
export * from './ticket.entity.js';
export * from './ticket.repository.js';

export const entities = [Ticket, Article, ArticleStatusChange, ArticleDeflection, TicketArticle];
