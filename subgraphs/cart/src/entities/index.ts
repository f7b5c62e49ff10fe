import { Cart, CartLine } from './cart.entity.js';
import { Order, OrderEvent, OrderLine, Outbox } from './order.entity.js';

export * from './cart.entity.js';
export * from './cart.repository.js';
export * from './order.entity.js';
export * from './order.repository.js';
export type * from './views.js';

export const entities = [Cart, CartLine, Order, OrderLine, OrderEvent, Outbox];
