import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditRecord, type IAuditRecord } from './audit-record.js';
import { brandsOf } from './brands.js';
import { badInput, isServiceUnavailable } from './errors.js';
import { isUuid } from './ids.js';
import { loggerFor } from './logger.js';
import {
  type Connection,
  DEFAULT_PAGE_SIZE,
  keysetOrderBy,
  keysetWhere,
  MAX_PAGE_SIZE,
  type OrmKey,
  type Page,
  type PageArgs,
  pageSize,
  parsePage,
  toConnection,
  travelSort,
} from './pagination.js';
import { type Principal, SERVICE_SCOPES } from './principal.js';
import type { Peers } from './subgraph.js';
import { answerError } from './targets.js';

/**
 * Reading the audit trail. Each subgraph answers for its own records (`_auditRecords`, kit SDL
 * audit.graphql); the back office's `auditTrail` fans out to every subgraph of the deployment and
 * merges the pages by id — UUID v7, so id order is time order and a cursor is just the last id seen.
 * Newest first. Rows are limited to the caller's brands in every subgraph (a row of no brand only to
 * an all-brands grant). A subgraph that does not answer leaves its records out and is named in
 * `unavailable`, which the resolver turns into a SERVICE_UNAVAILABLE error beside the data.
 */
export type AuditFilter = { entityType?: string | null; entityId?: string | null; customerId?: string | null };

export type AuditChangeView = { field: string; from: string | null; to: string | null; redacted: boolean };

export type AuditRecordView = Omit<IAuditRecord, 'diff' | 'createdAt' | 'action'> & {
  action: string;
  source: string;
  changes: AuditChangeView[];
  createdAt: string;
};

export type AuditTrailPage = Connection<AuditRecordView> & { unavailable: string[] };

const SORT = 'audit';

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export function toAuditView(source: string, row: IAuditRecord): AuditRecordView {
  const { diff, createdAt, ...rest } = row;
  const changes = Object.keys(diff)
    .sort()
    .map((field) => {
      const change = diff[field];
      return change.redacted
        ? { field, from: null, to: null, redacted: true }
        : { field, from: json(change.from), to: json(change.to), redacted: false };
    });
  return { ...rest, source, changes, createdAt: new Date(createdAt).toISOString() };
}

/** Checks a filter: ids are UUIDs where they must be, an entity id needs its type (the index leads with it). */
export function checkAuditFilter(filter: AuditFilter): void {
  if (filter.entityType != null && (filter.entityType.length === 0 || filter.entityType.length > 100)) {
    throw badInput('entityType must be 1 to 100 characters', 'entityType');
  }
  if (filter.entityId != null && filter.entityType == null) throw badInput('entityId needs entityType', 'entityId');
  if (filter.entityId != null && filter.entityId.length > 255) throw badInput('entityId is too long', 'entityId');
  if (filter.customerId != null && !isUuid(filter.customerId)) throw badInput('customerId must be a UUID', 'customerId');
}

/** Newest first: ids are UUID v7. */
const BY_ID: OrmKey[] = [{ field: 'id', dir: 'desc' }];

/**
 * This subgraph's records matching `filter`, of the principal's brands, newest first: `window.limit` of
 * them between the ids `after` (older) and `before` (newer), from the newest or, `backward`, the oldest.
 */
export async function ownAuditRecords(
  em: EntityManager,
  principal: Principal,
  source: string,
  filter: AuditFilter,
  window: Page,
): Promise<AuditRecordView[]> {
  checkAuditFilter(filter);
  for (const [field, cursor] of [
    ['after', window.after],
    ['before', window.before],
  ] as const) {
    if (cursor !== null && !isUuid(cursor[0])) throw badInput('Malformed cursor', field);
  }
  const brands = brandsOf(principal);
  if (brands.length === 0 || window.limit === 0) return [];
  const rows = await em.find(
    AuditRecord,
    {
      ...(filter.entityType != null ? { entityType: filter.entityType } : {}),
      ...(filter.entityId != null ? { entityId: filter.entityId } : {}),
      ...(filter.customerId != null ? { customerId: filter.customerId } : {}),
      ...(brands.includes('*') ? {} : { storefrontId: { $in: [...brands] } }),
      ...keysetWhere(BY_ID, window),
    },
    { orderBy: keysetOrderBy(BY_ID, window), limit: window.limit, disableIdentityMap: true },
  );
  return rows.map((row) => toAuditView(source, row));
}

const PEER_QUERY = `query AuditRecords($entityType: String, $entityId: ID, $customerId: ID, $after: ID, $before: ID, $first: Int, $last: Int) {
  _auditRecords(entityType: $entityType, entityId: $entityId, customerId: $customerId, after: $after, before: $before, first: $first, last: $last) {
    id source entityType entityId action actorKind actorId storefrontId customerId requestId traceId createdAt
    changes { field from to redacted }
  }
}`;

export type AuditSources = { self: string; subgraphs: readonly string[]; peers: Peers };

/**
 * The caller's brands, and nothing else, for a peer: a service principal with `audit:read` alone. Staff
 * with no brand never get here (an empty grant would read as "every brand" on a service principal).
 */
function peerPrincipal(self: string, principal: Principal): Principal {
  return {
    kind: 'service',
    id: self,
    storefrontId: principal.storefrontId,
    storefronts: [...brandsOf(principal)],
    partnerId: null,
    roles: [],
    scopes: [SERVICE_SCOPES.auditRead],
  };
}

async function peerAuditRecords(
  sources: AuditSources,
  name: string,
  principal: Principal,
  filter: AuditFilter,
  window: Page,
): Promise<AuditRecordView[]> {
  const variables = {
    ...filter,
    after: window.after?.[0] ?? null,
    before: window.before?.[0] ?? null,
    ...(window.backward ? { first: null, last: window.limit } : { first: window.limit, last: null }),
  };
  const response = await sources
    .peers(name)
    .execute({ query: PEER_QUERY, variables, operationName: 'AuditRecords' }, peerPrincipal(sources.self, principal));
  if (response.errors?.length) throw answerError(name, response.errors);
  return (response.data?._auditRecords ?? []) as AuditRecordView[];
}

/** One page of the whole trail: this subgraph's records and every peer's, merged newest first. */
export async function readAuditTrail(
  em: EntityManager,
  principal: Principal,
  sources: AuditSources,
  filter: AuditFilter,
  args: PageArgs,
): Promise<AuditTrailPage> {
  checkAuditFilter(filter);
  const page = parsePage(args, SORT, 1);
  // Each source reads one more than a page, to know whether there is more in the travel direction.
  const window = { ...page, limit: page.limit + 1 };
  const unavailable: string[] = [];
  const fetch = brandsOf(principal).length > 0 && page.limit > 0;
  const answers = await Promise.all(
    sources.subgraphs.map(async (name) => {
      if (!fetch) return [];
      if (name === sources.self) return ownAuditRecords(em, principal, name, filter, window);
      try {
        return await peerAuditRecords(sources, name, principal, filter, window);
      } catch (error) {
        // An outage is logged where the call failed (targets.ts); anything else is logged here.
        if (!isServiceUnavailable(error)) {
          const cause = error instanceof Error ? error.message : String(error);
          loggerFor('audit').warn({ subgraph: name, cause }, 'audit records unavailable');
        }
        unavailable.push(name);
        return [];
      }
    }),
  );
  const rows = travelSort(answers.flat(), page, (a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return {
    ...toConnection(rows, page, SORT, (node) => [node.id]),
    unavailable: unavailable.sort(),
  };
}

/** The `_auditRecords` field every subgraph serves (merged into each subgraph's resolvers by the server). */
export function auditRecordResolvers(source: string) {
  return {
    Query: {
      _auditRecords: (
        _: unknown,
        args: AuditFilter & { after?: string | null; before?: string | null; first?: number | null; last?: number | null },
        context: { em: EntityManager; principal: Principal },
      ) => {
        // The fan-out asks for one more than a page, to know whether there is more.
        const backward = args.last != null;
        const limit = backward
          ? pageSize(args.last, DEFAULT_PAGE_SIZE, 'last', MAX_PAGE_SIZE + 1)
          : pageSize(args.first, DEFAULT_PAGE_SIZE, 'first', MAX_PAGE_SIZE + 1);
        const filter = { entityType: args.entityType, entityId: args.entityId, customerId: args.customerId };
        const cursor = (id: string | null | undefined) => (id ? [id] : null);
        return ownAuditRecords(context.em, context.principal, source, filter, {
          limit,
          after: cursor(args.after),
          before: cursor(args.before),
          backward,
        });
      },
    },
  };
}
