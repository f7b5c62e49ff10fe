import { payload, type Resolvers } from '@dcrm/kit';
import {
  type AddressInput,
  addressAdd,
  type ChildInput,
  type ContactInput,
  childCreate,
  contactAdd,
  itemRemove,
  npsSurveyCreate,
} from '../domain/account-items.js';
import { type InteractionLogInput, interactionLog } from '../domain/interactions.js';
import { type NpsRespondInput, npsRespond } from '../domain/nps-write.js';
import {
  type CustomerUpdateInput,
  consentSet,
  customerUpdate,
  notificationPreferenceSet,
  siteMessageSend,
  siteMessagesMarkRead,
} from '../domain/profile.js';
import type { Channel } from '../entities/index.js';
import type { CustomerContext } from './context.js';

export const accountMutationResolvers: Resolvers = {
  Mutation: {
    customerUpdate: async (_: unknown, { input }: { input: CustomerUpdateInput }, ctx: CustomerContext) =>
      payload('customer', await customerUpdate(ctx, input)),
    customerConsentSet: async (
      _: unknown,
      { input }: { input: { customerId?: string; channel: Channel; granted: boolean } },
      ctx: CustomerContext,
    ) => payload('customer', await consentSet(ctx, input)),
    notificationPreferenceSet: async (_: unknown, { input }: { input: { type: string; channels: Channel[] } }, ctx: CustomerContext) =>
      payload('customer', await notificationPreferenceSet(ctx, input)),
    siteMessagesMarkRead: async (_: unknown, { input }: { input: { ids: string[] } }, ctx: CustomerContext) =>
      payload('customer', await siteMessagesMarkRead(ctx, input.ids)),
    interactionLog: async (_: unknown, { input }: { input: InteractionLogInput }, ctx: CustomerContext) =>
      payload('interaction', await interactionLog(ctx, input)),
    customerAddressAdd: async (_: unknown, { input }: { input: AddressInput }, ctx: CustomerContext) =>
      payload('customer', await addressAdd(ctx, input)),
    customerAddressRemove: async (_: unknown, { input }: { input: { customerId?: string; id: string } }, ctx: CustomerContext) =>
      payload('customer', await itemRemove(ctx, 'address', input)),
    customerContactAdd: async (_: unknown, { input }: { input: ContactInput }, ctx: CustomerContext) =>
      payload('customer', await contactAdd(ctx, input)),
    customerContactRemove: async (_: unknown, { input }: { input: { customerId?: string; id: string } }, ctx: CustomerContext) =>
      payload('customer', await itemRemove(ctx, 'contact', input)),
    customerChildCreate: async (_: unknown, { input }: { input: ChildInput }, ctx: CustomerContext) =>
      payload('customer', await childCreate(ctx, input)),
    npsSurveyCreate: async (_: unknown, { input }: { input: { name: string; question: string } }, ctx: CustomerContext) =>
      payload('survey', await npsSurveyCreate(ctx.em, ctx.principal, input)),
    siteMessageSend: async (_: unknown, { input }: { input: { customerId: string; title: string; body: string } }, ctx: CustomerContext) =>
      payload('siteMessage', await siteMessageSend(ctx, input)),
    npsRespond: async (_: unknown, { input }: { input: NpsRespondInput }, ctx: CustomerContext) =>
      payload('response', await npsRespond(ctx.em, ctx.principal, input)),
  },
};
