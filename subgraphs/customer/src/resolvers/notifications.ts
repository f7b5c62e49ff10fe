import { payload } from '@dcrm/kit';
import type { Result } from '../domain/customer.errors.js';
import { batchItems } from '../domain/notifications/batch.js';
import { notificationResend, notificationsSentPage } from '../domain/notifications/history.js';
import { passwordReset, passwordResetRequest } from '../domain/notifications/password-reset.js';
import { sendNotifications } from '../domain/notifications/send.js';
import { templateCreate, templatePreview, templatesOf, templateUpdate, variablesOf } from '../domain/notifications/templates.js';
import type { CustomerResolvers } from './context.js';

const okPayload = (result: Result<true>) => (result.ok ? { ok: true, userErrors: [] } : { ok: false, userErrors: result.errors });

/** Notification templates, the send service, sent history and resend, password reset. */
export const notificationResolvers: CustomerResolvers = {
  Query: {
    notificationTemplates: (_, args, ctx) => templatesOf(ctx.em, ctx.principal, args.key),
    notificationTemplatePreview: async (_, { input }, ctx) => payload('preview', await templatePreview(ctx.em, ctx.principal, input)),
    notificationsSent: (_, args, ctx) => notificationsSentPage(ctx.em, ctx.principal, args.filter, args),
  },
  Mutation: {
    notificationTemplateCreate: async (_, { input }, ctx) => payload('template', await templateCreate(ctx.em, ctx.principal, input)),
    notificationTemplateUpdate: async (_, { input }, ctx) => payload('template', await templateUpdate(ctx.em, ctx.principal, input)),
    notificationResend: async (_, { input }, ctx) =>
      payload('notification', await notificationResend(ctx.em, ctx.services.notificationAdapters, ctx.principal, input.id)),
    notificationSend: async (_, { input }, ctx) => {
      const storefrontId = ctx.principal.storefrontId;
      if (!storefrontId) return { results: [], userErrors: [{ code: 'FORBIDDEN', message: 'A storefront is required', field: ['input'] }] };
      const batch = batchItems(input.batch);
      if (!batch.checks.ok) return { results: [], userErrors: batch.checks.errors };
      const items = input.messages.map((m) => ({ ...m, marketing: m.marketing ?? true, variables: variablesOf(m.variables) }));
      items.push(...batch.items);
      const { results, userErrors } = payload(
        'results',
        await sendNotifications(ctx.em, ctx.services.notificationAdapters, storefrontId, items),
      );
      return { results: results ?? [], userErrors };
    },
    customerPasswordResetRequest: async (_, { input }, ctx) =>
      okPayload(await passwordResetRequest(ctx.em, ctx.services, ctx.principal, input)),
    customerPasswordReset: async (_, { input }, ctx) => okPayload(await passwordReset(ctx.em, ctx.services, ctx.principal, input)),
  },
  Customer: {
    notificationsSent: async (c, args, ctx) => {
      // The holder sees their own history; staff (scope checked by @internal) any account they can see.
      if (ctx.principal.kind === 'customer' && ctx.principal.id !== c.id) return null;
      return ctx.loaders.notificationsSent.load({ parent: c.id, first: args.first, after: args.after });
    },
  },
  NotificationTemplate: {
    storefront: (t) => (t.storefrontId ? { __typename: 'Storefront', id: t.storefrontId } : null),
  },
  NotificationSent: {
    customer: (n, _, ctx) => (n.customerId ? ctx.loaders.customer.load(n.customerId) : null),
  },
};
