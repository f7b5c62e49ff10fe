import { Migration20261201201Ticket } from './20261201-201-ticket.js';
import { Migration20261201202Audit } from './20261201-202-audit.js';
import { Migration20261201203TicketCore } from './20261201-203-ticket-core.js';
import { Migration20261201204Notify } from './20261201-204-notify.js';
import { Migration20261201251KnowledgeBase } from './20261201-251-knowledge-base.js';
import { Migration20261201271Sla } from './20261201-271-sla.js';
import { Migration20261201281CommentChannel } from './20261201-281-comment-channel.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261201-201-ticket', class: Migration20261201201Ticket },
  { name: '20261201-202-audit', class: Migration20261201202Audit },
  { name: '20261201-203-ticket-core', class: Migration20261201203TicketCore },
  { name: '20261201-204-notify', class: Migration20261201204Notify },
  { name: '20261201-251-knowledge-base', class: Migration20261201251KnowledgeBase },
  { name: '20261201-271-sla', class: Migration20261201271Sla },
  { name: '20261201-281-comment-channel', class: Migration20261201281CommentChannel },
];
