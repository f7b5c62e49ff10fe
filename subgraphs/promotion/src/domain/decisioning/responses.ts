import { loggerFor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Decision, type IOffer } from '../../entities/index.js';
import type { PromotionServices } from '../services.js';
import { dayOf } from './store.js';
import type { DecisionChannel } from './types.js';

/** An offer a decision made carries this dedupe key prefix, then the decision's id (`effects.ts`). */
const DECISION_KEY = 'decision:';

/**
 * A customer accepted (clicked) an offer a decision made: one response for the channel it went out on,
 * in the customer's segment and brand, on the day it was sent, so the channel's response rate is
 * answered ÷ sent of the same offers. Called once per offer (the first accept); a failure is logged,
 * never the customer's.
 */
export async function countResponse(em: EntityManager, services: PromotionServices, offer: IOffer): Promise<void> {
  const d = services.decisioning;
  if (!d || !offer.dedupeKey?.startsWith(DECISION_KEY)) return;
  try {
    const decision = await em.findOne(
      Decision,
      { id: offer.dedupeKey.slice(DECISION_KEY.length), storefrontId: offer.storefrontId },
      { fields: ['channel', 'segment', 'decidedAt'] },
    );
    if (!decision?.channel) return;
    await d.brands.count('responded', [
      {
        storefrontId: offer.storefrontId,
        segment: decision.segment,
        channel: decision.channel as DecisionChannel,
        day: dayOf(decision.decidedAt.getTime()),
      },
    ]);
  } catch (error) {
    loggerFor('promotion').warn({ err: error }, 'offer response not counted');
  }
}
