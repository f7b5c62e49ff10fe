import { Migration20261123001Customer } from './20261123-001-customer.js';
import { Migration20261128001CampaignAudience } from './20261128-001-campaign-audience.js';
import { Migration20261129001ApiKeyCostBudget } from './20261129-001-api-key-cost-budget.js';
import { Migration20261129002StaffBrands } from './20261129-002-staff-brands.js';
import { Migration20261130010Audit } from './20261130-010-audit.js';
import { Migration20261130020Notifications } from './20261130-020-notifications.js';
import { Migration20261130030BulkOperations } from './20261130-030-bulk-operations.js';
import { Migration20261130040Administration } from './20261130-040-administration.js';
import { Migration20261130050StaffIdentity } from './20261130-050-staff-identity.js';
import { Migration20261130060NpsReadback } from './20261130-060-nps-readback.js';
import { Migration20261130070OrderStatusTemplate } from './20261130-070-order-status-template.js';
import { Migration20261201210TicketTemplates } from './20261201-210-ticket-templates.js';
import { Migration20261201271NpsAfterTicket } from './20261201-271-nps-after-ticket.js';
import { Migration20261201350ContractRenewalTemplate } from './20261201-350-contract-renewal-template.js';
import { Migration20261201401Teams } from './20261201-401-teams.js';
import { Migration20261201402StaffTemplates } from './20261201-402-staff-templates.js';
import { Migration20261201451TicketReplyTemplate } from './20261201-451-ticket-reply-template.js';
import { Migration20261202201BulkRowLinks } from './20261202-201-bulk-row-links.js';
import { Migration20261202301QuoteCustomerTemplates } from './20261202-301-quote-customer-templates.js';
import { Migration20261202302PartnerRecipients } from './20261202-302-partner-recipients.js';
import { Migration202612021002OrderApprovalTemplate } from './20261202-1002-order-approval-template.js';
import { Migration20261204D01PushConsent } from './20261204-d01-push-consent.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261123-001-customer', class: Migration20261123001Customer },
  { name: '20261128-001-campaign-audience', class: Migration20261128001CampaignAudience },
  { name: '20261129-001-api-key-cost-budget', class: Migration20261129001ApiKeyCostBudget },
  { name: '20261129-002-staff-brands', class: Migration20261129002StaffBrands },
  { name: '20261130-010-audit', class: Migration20261130010Audit },
  { name: '20261130-020-notifications', class: Migration20261130020Notifications },
  { name: '20261130-030-bulk-operations', class: Migration20261130030BulkOperations },
  { name: '20261130-040-administration', class: Migration20261130040Administration },
  { name: '20261130-050-staff-identity', class: Migration20261130050StaffIdentity },
  { name: '20261130-060-nps-readback', class: Migration20261130060NpsReadback },
  { name: '20261130-070-order-status-template', class: Migration20261130070OrderStatusTemplate },
  { name: '20261201-210-ticket-templates', class: Migration20261201210TicketTemplates },
  { name: '20261201-271-nps-after-ticket', class: Migration20261201271NpsAfterTicket },
  { name: '20261201-350-contract-renewal-template', class: Migration20261201350ContractRenewalTemplate },
  { name: '20261201-401-teams', class: Migration20261201401Teams },
  { name: '20261201-402-staff-templates', class: Migration20261201402StaffTemplates },
  { name: '20261201-451-ticket-reply-template', class: Migration20261201451TicketReplyTemplate },
  { name: '20261202-201-bulk-row-links', class: Migration20261202201BulkRowLinks },
  { name: '20261202-301-quote-customer-templates', class: Migration20261202301QuoteCustomerTemplates },
  { name: '20261202-302-partner-recipients', class: Migration20261202302PartnerRecipients },
  { name: '20261202-1002-order-approval-template', class: Migration202612021002OrderApprovalTemplate },
  { name: '20261204-d01-push-consent', class: Migration20261204D01PushConsent },
];
