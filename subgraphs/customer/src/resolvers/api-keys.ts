import type { Resolvers, Result } from '@dcrm/kit';
import {
  type ApiKeyCostBudgetSetInput,
  type ApiKeyCreateInput,
  apiKeyCostBudgetSet,
  apiKeyCreate,
  apiKeyRevoke,
  apiKeyRotate,
  type CreatedKey,
  costBudgetOf,
  listApiKeys,
  verifyApiKey,
} from '../domain/api-keys.js';
import type { IApiKey } from '../entities/index.js';
import type { CustomerContext } from './context.js';

const keyPayload = (result: Result<CreatedKey | IApiKey>) => {
  if (!result.ok) return { apiKey: null, secret: null, userErrors: result.errors };
  const value = result.value;
  return 'secret' in value
    ? { apiKey: value.apiKey, secret: value.secret, userErrors: [] }
    : { apiKey: value, secret: null, userErrors: [] };
};

export const apiKeyResolvers: Resolvers = {
  Query: {
    apiKeys: (_: unknown, __: unknown, ctx: CustomerContext) => listApiKeys(ctx.em, ctx.principal),
    apiKeyVerify: (_: unknown, { key }: { key: string }, ctx: CustomerContext) => verifyApiKey(ctx.em, key),
  },
  Mutation: {
    apiKeyCreate: async (_: unknown, { input }: { input: ApiKeyCreateInput }, ctx: CustomerContext) =>
      keyPayload(await apiKeyCreate(ctx.em, ctx.principal, input)),
    apiKeyRotate: async (_: unknown, { input }: { input: { id: string } }, ctx: CustomerContext) =>
      keyPayload(await apiKeyRotate(ctx.em, ctx.services, ctx.principal, input.id)),
    apiKeyRevoke: async (_: unknown, { input }: { input: { id: string } }, ctx: CustomerContext) =>
      keyPayload(await apiKeyRevoke(ctx.em, ctx.services, ctx.principal, input.id)),
    apiKeyCostBudgetSet: async (_: unknown, { input }: { input: ApiKeyCostBudgetSetInput }, ctx: CustomerContext) =>
      keyPayload(await apiKeyCostBudgetSet(ctx.em, ctx.services, ctx.principal, input)),
  },
  ApiKey: {
    partner: (k: IApiKey, _: unknown, ctx: CustomerContext) => (k.partnerId ? ctx.loaders.partner.load(k.partnerId) : null),
    costBudget: (k: IApiKey) => costBudgetOf(k),
  },
};
