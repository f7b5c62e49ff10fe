import type { Clock, EventBus, Peers } from '@dcrm/kit';
import type { PromotionClient } from '../clients/promotions.js';
import type { AbandonmentConfig } from './abandonment-config.js';

export type CartServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
  /** The promotion subgraph: cart display, promo codes and the checkout's redemption. */
  promotions: PromotionClient;
  /** Signs drop-link tokens (the router↔subgraph secret). */
  secret: string;
  abandonment: AbandonmentConfig;
  /** The storefront page that opens a drop link. */
  recoverUrl: (storefrontId: string, token: string) => string;
};
