import { Translation } from '@dcrm/kit';
import { Campaign } from './campaign.entity.js';
import { Decision, DecisionRule, DecisionSettingsRow, EventTypeRow } from './decision.entity.js';
import { Offer, OfferRule } from './offer.entity.js';
import { PromotionRow, Redemption } from './promotion.entity.js';

export * from './campaign.entity.js';
export * from './campaign.repository.js';
export * from './decision.entity.js';
export * from './offer.entity.js';
export * from './offer.repository.js';
export * from './promotion.entity.js';
export * from './promotion.repository.js';

export const entities = [
  PromotionRow,
  Redemption,
  Campaign,
  Offer,
  OfferRule,
  EventTypeRow,
  DecisionRule,
  Decision,
  DecisionSettingsRow,
  Translation,
];
