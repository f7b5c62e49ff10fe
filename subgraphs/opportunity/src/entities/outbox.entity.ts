import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** Domain events written in the same transaction as the change, published after commit. */
export const Outbox = defineEntity({
  name: 'Outbox',
  tableName: 'outbox',
  properties: {
    id: columns.id(),
    type: p.string(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: columns.createdAt(),
    publishedAt: p.datetime().nullable(),
  },
});
export type IOutbox = InferEntity<typeof Outbox>;
