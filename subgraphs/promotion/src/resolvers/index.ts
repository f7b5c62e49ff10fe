import { mergeResolvers } from '@dcrm/kit';
import { campaignResolvers } from './campaigns.js';
import type { PromotionResolvers } from './context.js';
import { decisioningResolvers } from './decisioning.js';
import { evaluationResolvers } from './evaluation.js';
import { offerResolvers } from './offers.js';
import { promotionResolvers } from './promotions.js';
import { translationResolvers } from './translations.js';

export const resolvers: PromotionResolvers = mergeResolvers(
  promotionResolvers,
  evaluationResolvers,
  campaignResolvers,
  offerResolvers,
  translationResolvers,
  decisioningResolvers,
);
