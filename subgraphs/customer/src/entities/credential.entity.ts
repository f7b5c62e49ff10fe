import { newId } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** API keys are stored as SHA-256 of the random key; `prefix` lets people recognise one. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    kind: p.enum(['PUBLIC', 'PRIVATE'] as const),
    storefrontId: p.uuid(),
    partnerId: p.uuid().nullable(),
    name: p.string(),
    prefix: p.string(),
    hash: p.string().unique().hidden(),
    scopes: p.array(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
  },
});
export type IApiKey = InferEntity<typeof ApiKey>;

/** One refresh token; a session is a family of them, each usable once. */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_token',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    familyId: p.uuid(),
    subjectKind: p.enum(['customer', 'staff', 'partner'] as const),
    subjectId: p.uuid(),
    hash: p.string().unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IRefreshToken = InferEntity<typeof RefreshToken>;
