import { mergeResolvers } from '@dcrm/kit';
import { accountMutationResolvers } from './account-mutations.js';
import { apiKeyResolvers } from './api-keys.js';
import { audienceResolvers } from './audience.js';
import { authResolvers } from './auth.js';
import type { CustomerResolvers } from './context.js';
import { customerResolvers } from './customer.js';
import { npsResolvers } from './nps.js';
import { staffResolvers } from './staff.js';

export const resolvers: CustomerResolvers = mergeResolvers(
  authResolvers,
  customerResolvers,
  accountMutationResolvers,
  apiKeyResolvers,
  staffResolvers,
  audienceResolvers,
  npsResolvers,
);
