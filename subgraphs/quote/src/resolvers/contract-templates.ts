import { payload } from '@dcrm/kit';
import { contractTemplateCreate, contractTemplateUpdate, listTemplates } from '../domain/contract-templates.js';
import type { QuoteResolvers } from './context.js';

/** Contract templates: the storefront's list and staff changes. */
export const contractTemplateResolvers: QuoteResolvers = {
  Query: {
    contractTemplates: (_, { includeInactive }, ctx) => listTemplates(ctx.em, ctx.principal, includeInactive ?? false),
  },
  Mutation: {
    contractTemplateCreate: async (_, { input }, ctx) => payload('template', await contractTemplateCreate(ctx.em, ctx.principal, input)),
    contractTemplateUpdate: async (_, { input }, ctx) => payload('template', await contractTemplateUpdate(ctx.em, ctx.principal, input)),
  },
};
