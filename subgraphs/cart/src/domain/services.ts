import type { Clock, EventBus, Peers } from '@dcrm/kit';
import type { AbandonmentConfig } from './abandonment-config.js';
import type { ChannelAdapter } from './channels.js';
import type { DiscountSeam } from './totals.js';

export type CartServices = {
  peers: Peers;
  bus: EventBus;
  clock: Clock;
  discounts: DiscountSeam;
  /** Signs drop-link tokens (the router↔subgraph secret). */
  secret: string;
  channel: ChannelAdapter;
  abandonment: AbandonmentConfig;
  /** The storefront page that opens a drop link. */
  recoverUrl: (storefrontId: string, token: string) => string;
};

export const ORDER_PLACED = 'dcrm.order.placed';
