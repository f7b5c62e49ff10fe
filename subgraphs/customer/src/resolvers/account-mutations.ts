import { isUuid, payload } from '@dcrm/kit';
import { addressAdd, childCreate, contactAdd, itemRemove, npsSurveyCreate } from '../domain/account-items.js';
import type { Result } from '../domain/customer.errors.js';
import { profileChanged } from '../domain/decision-profiles.js';
import { interactionLog } from '../domain/interactions.js';
import { npsRespond } from '../domain/nps-write.js';
import { consentSet, customerUpdate, notificationPreferenceSet, siteMessageSend, siteMessagesMarkRead } from '../domain/profile.js';
import type { ICustomer } from '../entities/index.js';
import type { CustomerContext, CustomerResolvers } from './context.js';

/** A committed profile change reaches decisioning's hot copy before the mutation answers. */
async function changed<T extends Result<ICustomer>>(
  ctx: CustomerContext,
  result: T,
  before?: { mobile: string | null; email: string },
): Promise<T> {
  if (result.ok) await profileChanged(ctx.services, result.value, before);
  return result;
}

export const accountMutationResolvers: CustomerResolvers = {
  Mutation: {
    customerUpdate: async (_, { input }, ctx) => {
      // The identities it had, read before the update changes the (shared) entity: an old mobile's hot copy is dropped.
      const id = input.id ?? (ctx.principal.kind === 'customer' ? ctx.principal.id : null);
      const prior = id && isUuid(id) ? await ctx.loaders.customer.load(id) : null;
      const before = prior ? { mobile: prior.mobile ?? null, email: prior.email } : undefined;
      return payload('customer', await changed(ctx, await customerUpdate(ctx, input), before));
    },
    customerConsentSet: async (_, { input }, ctx) => payload('customer', await changed(ctx, await consentSet(ctx, input))),
    notificationPreferenceSet: async (_, { input }, ctx) =>
      payload('customer', await changed(ctx, await notificationPreferenceSet(ctx, input))),
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
