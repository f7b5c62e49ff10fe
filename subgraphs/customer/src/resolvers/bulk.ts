import { actingStorefront, isUuid, parsePage, payload, toConnection } from '@dcrm/kit';
import { bulkOperationCancel, bulkOperationConfirm, bulkOperationCreate } from '../domain/bulk/operations.js';
import { type BulkOperationView, findOperation, listOperations, listRows } from '../domain/bulk/store.js';
import type { BulkResult } from '../domain/customer.errors.js';
import type { CustomerResolvers } from './context.js';

const toPayload = (result: BulkResult<BulkOperationView>) => payload('bulkOperation', result);
const ms = (from: Date | null, to: Date | null) => (from ? (to ?? new Date()).getTime() - from.getTime() : null);

export const bulkResolvers: CustomerResolvers = {
  Query: {
    bulkOperation: (_, { id }, ctx) => (isUuid(id) ? findOperation(ctx.em, id, ctx.principal) : null),
    bulkOperations: async (_, args, ctx) => {
      const page = parsePage(args, 'bulk', 1);
      const storefrontId = actingStorefront(ctx.principal);
      const rows = storefrontId ? await listOperations(ctx.em, storefrontId, args.filter ?? {}, page) : [];
      return toConnection(rows, page, 'bulk', (o) => [o.id]);
    },
  },
  Mutation: {
    bulkOperationCreate: async (_, { input }, ctx) => toPayload(await bulkOperationCreate(ctx.em, ctx.services.bulk, ctx.principal, input)),
    bulkOperationConfirm: async (_, { input }, ctx) =>
      toPayload(await bulkOperationConfirm(ctx.em, ctx.services.bulk, ctx.principal, input.id)),
    bulkOperationCancel: async (_, { input }, ctx) =>
      toPayload(await bulkOperationCancel(ctx.em, ctx.services.bulk, ctx.principal, input.id)),
  },
  BulkOperation: {
    stats: (o) => o,
    batches: (o, _, ctx) => ctx.loaders.bulkBatches.load(o.id),
    rows: async (o, args, ctx) => {
      const page = parsePage(args, 'bulk-row', 1, { defaultSize: 50 });
      const rows = await listRows(ctx.em, o.id, args.status ?? null, page);
      return toConnection(rows, page, 'bulk-row', (r) => [r.number]);
    },
  },
  BulkOperationStats: {
    pending: (o) => o.valid - o.succeeded - o.failed,
    durationMs: (o) => ms(o.startedAt, o.finishedAt),
  },
  BulkBatch: {
    durationMs: (b) => ms(b.startedAt, b.finishedAt) ?? 0,
  },
  BulkOperationRow: {
    data: (r) => JSON.stringify(r.data),
    errors: (r) => r.problems,
  },
};
