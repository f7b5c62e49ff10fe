import { mergeResolvers } from '@dcrm/kit';
import { accountMutationResolvers } from './account-mutations.js';
import { administrationResolvers } from './administration.js';
import { apiKeyResolvers } from './api-keys.js';
import { audienceResolvers } from './audience.js';
import { auditTrailResolvers } from './audit-trail.js';
import { authResolvers } from './auth.js';
import { bulkResolvers } from './bulk.js';
import type { CustomerResolvers } from './context.js';
import { customerResolvers } from './customer.js';
import { notificationResolvers } from './notifications.js';
import { npsResolvers } from './nps.js';
import { partnerUserResolvers } from './partner-users.js';
import { ssoResolvers } from './sso.js';
import { staffResolvers } from './staff.js';
import { teamResolvers } from './teams.js';

export const resolvers: CustomerResolvers = mergeResolvers(
  authResolvers,
  customerResolvers,
  accountMutationResolvers,
  apiKeyResolvers,
  staffResolvers,
  audienceResolvers,
  auditTrailResolvers,
  administrationResolvers,
  partnerUserResolvers,
  notificationResolvers,
  bulkResolvers,
  ssoResolvers,
  npsResolvers,
  teamResolvers,
);
