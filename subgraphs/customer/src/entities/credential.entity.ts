import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** API keys are stored as SHA-256 of the random key; `prefix` lets people recognise one. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: columns.id(),
    kind: p.enum(['PUBLIC', 'PRIVATE'] as const),
    storefrontId: p.uuid(),
    partnerId: p.uuid().nullable(),
    name: p.string(),
    prefix: p.string(),
    hash: p.string().unique().hidden(),
    scopes: p.array(),
    createdAt: columns.createdAt(),
    revokedAt: p.datetime().nullable(),
    /** The key's own query cost bucket (points) and restore rate (points per second); null: the router's defaults. */
    costBucketSize: p.integer().nullable(),
    costRestoreRate: p.integer().nullable(),
  },
});
export type IApiKey = InferEntity<typeof ApiKey>;

/** One refresh token; a session is a family of them, each usable once. */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_token',
  properties: {
    id: columns.id(),
    familyId: p.uuid(),
    subjectKind: p.enum(['customer', 'staff', 'partner'] as const),
    subjectId: p.uuid(),
    hash: p.string().unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: columns.createdAt(),
  },
});
export type IRefreshToken = InferEntity<typeof RefreshToken>;
