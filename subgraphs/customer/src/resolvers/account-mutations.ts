import { payload } from '@dcrm/kit';
import { addressAdd, childCreate, contactAdd, itemRemove, npsSurveyCreate } from '../domain/account-items.js';
import { interactionLog } from '../domain/interactions.js';
import { npsRespond } from '../domain/nps-write.js';
import { consentSet, customerUpdate, notificationPreferenceSet, siteMessageSend, siteMessagesMarkRead } from '../domain/profile.js';
import type { CustomerResolvers } from './context.js';

export const accountMutationResolvers: CustomerResolvers = {
  Mutation: {
    customerUpdate: async (_, { input }, ctx) => payload('customer', await customerUpdate(ctx, input)),
    customerConsentSet: async (_, { input }, ctx) => payload('customer', await consentSet(ctx, input)),
    notificationPreferenceSet: async (_, { input }, ctx) => payload('customer', await notificationPreferenceSet(ctx, input)),
    siteMessagesMarkRead: async (_, { input }, ctx) => payload('customer', await siteMessagesMarkRead(ctx, input.ids)),
    interactionLog: async (_, { input }, ctx) => payload('interaction', await interactionLog(ctx, input)),
    customerAddressAdd: async (_, { input }, ctx) => payload('customer', await addressAdd(ctx, input)),
    customerAddressRemove: async (_, { input }, ctx) => payload('customer', await itemRemove(ctx, 'address', input)),
    customerContactAdd: async (_, { input }, ctx) => payload('customer', await contactAdd(ctx, input)),
    customerContactRemove: async (_, { input }, ctx) => payload('customer', await itemRemove(ctx, 'contact', input)),
    customerChildCreate: async (_, { input }, ctx) => payload('customer', await childCreate(ctx, input)),
    npsSurveyCreate: async (_, { input }, ctx) => payload('survey', await npsSurveyCreate(ctx.em, ctx.principal, input)),
    siteMessageSend: async (_, { input }, ctx) => payload('siteMessage', await siteMessageSend(ctx, input)),
    npsRespond: async (_, { input }, ctx) => payload('response', await npsRespond(ctx.em, ctx.principal, input)),
  },
};
