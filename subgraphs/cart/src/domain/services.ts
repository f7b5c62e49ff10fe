import type { Clock, EventBus, Peers } from '@dcrm/kit';
import type { DiscountSeam } from './totals.js';

export type CartServices = { peers: Peers; bus: EventBus; clock: Clock; discounts: DiscountSeam };

export const ORDER_PLACED = 'dcrm.order.placed';
