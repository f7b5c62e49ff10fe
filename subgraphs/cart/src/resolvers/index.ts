import { mergeResolvers } from '@dcrm/kit';
import { abandonmentResolvers } from './abandonment.js';
import { audienceResolvers } from './audience.js';
import { cartResolvers } from './cart.js';
import type { CartResolvers } from './context.js';
import { mutationResolvers } from './mutations.js';
import { orderResolvers } from './order.js';
import { saleOrderResolvers } from './sale-order.js';
import { spendControlResolvers } from './spend-control.js';

export const resolvers: CartResolvers = mergeResolvers(
  cartResolvers,
  orderResolvers,
  mutationResolvers,
  abandonmentResolvers,
  audienceResolvers,
  saleOrderResolvers,
  spendControlResolvers,
);
