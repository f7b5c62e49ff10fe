import { Outbox } from '@dcrm/kit';
import { Cart, CartLine } from './cart.entity.js';
import { Order, OrderEvent, OrderLine } from './order.entity.js';
import { SpendBudget } from './spend-budget.entity.js';

export * from './cart.entity.js';
export * from './cart.repository.js';
export * from './order.entity.js';
export * from './order.repository.js';
export * from './spend-budget.entity.js';
export type * from './views.js';
// Domain events written in the same transaction as the change, published after commit.
export { Outbox };

export const entities = [Cart, CartLine, Order, OrderLine, OrderEvent, Outbox, SpendBudget];
