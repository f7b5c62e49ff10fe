import { mergeResolvers } from '@dcrm/kit';
import { abandonmentResolvers } from './abandonment.js';
import { audienceResolvers } from './audience.js';
import { cartResolvers } from './cart.js';
import { mutationResolvers } from './mutations.js';
import { orderResolvers } from './order.js';

export const resolvers = mergeResolvers(cartResolvers, orderResolvers, mutationResolvers, abandonmentResolvers, audienceResolvers);
