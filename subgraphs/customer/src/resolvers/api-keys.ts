import {
  apiKeyCostBudgetSet,
  apiKeyCreate,
  apiKeyRevoke,
  apiKeyRotate,
  type CreatedKey,
  costBudgetOf,
  listApiKeys,
  verifyApiKey,
} from '../domain/api-keys.js';
import type { Result } from '../domain/customer.errors.js';
import type { IApiKey } from '../entities/index.js';
import type { CustomerResolvers } from './context.js';

const keyPayload = (result: Result<CreatedKey | IApiKey>) => {
  if (!result.ok) return { apiKey: null, secret: null, userErrors: result.errors };
  const value = result.value;
  return 'secret' in value
    ? { apiKey: value.apiKey, secret: value.secret, userErrors: [] }
    : { apiKey: value, secret: null, userErrors: [] };
};

export const apiKeyResolvers: CustomerResolvers = {
  Query: {
    apiKeys: (_, args, ctx) => listApiKeys(ctx.em, ctx.principal, args),
    apiKeyVerify: (_, { key }, ctx) => verifyApiKey(ctx.em, key),
  },
  Mutation: {
    apiKeyCreate: async (_, { input }, ctx) => keyPayload(await apiKeyCreate(ctx.em, ctx.principal, input)),
    apiKeyRotate: async (_, { input }, ctx) => keyPayload(await apiKeyRotate(ctx.em, ctx.services, ctx.principal, input.id)),
    apiKeyRevoke: async (_, { input }, ctx) => keyPayload(await apiKeyRevoke(ctx.em, ctx.services, ctx.principal, input.id)),
    apiKeyCostBudgetSet: async (_, { input }, ctx) => keyPayload(await apiKeyCostBudgetSet(ctx.em, ctx.services, ctx.principal, input)),
  },
  ApiKey: {
    partner: (k, _, ctx) => (k.partnerId ? ctx.loaders.partner.load(k.partnerId) : null),
    costBudget: (k) => costBudgetOf(k),
  },
};
