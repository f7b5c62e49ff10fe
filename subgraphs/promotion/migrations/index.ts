import { Migration20261128001Promotion } from './20261128-001-promotion.js';
import { Migration20261128010CampaignNotify } from './20261128-010-campaign-notify.js';
import { Migration20261130010Audit } from './20261130-010-audit.js';
import { Migration20261201271TicketResolvedRule } from './20261201-271-ticket-resolved-rule.js';
import { Migration20261202601Decisioning } from './20261202-601-decisioning.js';
import { Migration20261202701RecurringRevenue } from './20261202-701-recurring-revenue.js';
import { Migration202612021101Translations } from './20261202-1101-translations.js';
import { Migration20261204D01DecisionSettings } from './20261204-d01-decision-settings.js';
import { Migration20261204R01DecisionDelivery } from './20261204-r01-decision-delivery.js';
import { Migration20261205E01DecisionBudgetMoney } from './20261205-e01-decision-budget-money.js';
import { Migration20261208D01DecisionOutbox } from './20261208-d01-decision-outbox.js';
import { Migration20261209F01DecisionRuleIndex } from './20261209-f01-decision-rule-index.js';
import { Migration20261210C31OfferAttributionIndex } from './20261210-c31-offer-attribution-index.js';
import { Migration20261210C32OfferCampaignKey } from './20261210-c32-offer-campaign-key.js';
import { Migration20261211D01DecisionListIndex } from './20261211-d01-decision-list-index.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261128-001-promotion', class: Migration20261128001Promotion },
  { name: '20261128-010-campaign-notify', class: Migration20261128010CampaignNotify },
  { name: '20261130-010-audit', class: Migration20261130010Audit },
  { name: '20261201-271-ticket-resolved-rule', class: Migration20261201271TicketResolvedRule },
  { name: '20261202-601-decisioning', class: Migration20261202601Decisioning },
  { name: '20261202-701-recurring-revenue', class: Migration20261202701RecurringRevenue },
  { name: '20261202-1101-translations', class: Migration202612021101Translations },
  { name: '20261204-d01-decision-settings', class: Migration20261204D01DecisionSettings },
  { name: '20261204-r01-decision-delivery', class: Migration20261204R01DecisionDelivery },
  { name: '20261205-e01-decision-budget-money', class: Migration20261205E01DecisionBudgetMoney },
  { name: '20261208-d01-decision-outbox', class: Migration20261208D01DecisionOutbox },
  { name: '20261209-f01-decision-rule-index', class: Migration20261209F01DecisionRuleIndex },
  { name: '20261210-c31-offer-attribution-index', class: Migration20261210C31OfferAttributionIndex },
  { name: '20261210-c32-offer-campaign-key', class: Migration20261210C32OfferCampaignKey },
  { name: '20261211-d01-decision-list-index', class: Migration20261211D01DecisionListIndex },
];
