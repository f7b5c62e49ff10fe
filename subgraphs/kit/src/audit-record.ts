import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { newId } from './ids.js';
import { currentRequest } from './logger.js';

/**
 * One committed change to a business entity, written by `AuditTrail` (audit-subscriber.ts) in the
 * flush that made it. Every subgraph keeps its own, in `<its schema>.audit_record`; nobody reads
 * another subgraph's. Ids are UUID v7, so id order is time order (the trail's cursor).
 */
export const AUDIT_ACTIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Per changed property: old → new (JSON values), or only that it changed (`redacted`, for secrets). */
export type AuditDiff = Record<string, { from?: unknown; to?: unknown; redacted?: true }>;

export const AuditRecord = defineEntity({
  name: 'AuditRecord',
  tableName: 'audit_record',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => newId()),
    entityType: p.string(),
    entityId: p.string(),
    action: p.enum(AUDIT_ACTIONS),
    /** A principal kind (customer, staff, partner, service, anonymous), `job` or `system`. */
    actorKind: p.string(),
    /** The principal's id, the job's name, or what the system was doing (`seed`). */
    actorId: p.string().nullable(),
    /** The row's brand, for staff brand scoping; null for rows of no brand (products, staff…). */
    storefrontId: p.uuid().nullable(),
    /** The account the row belongs to, when it belongs to one (the 360° view's trail). */
    customerId: p.uuid().nullable(),
    requestId: p.string().nullable(),
    traceId: p.string().nullable(),
    diff: p.json<AuditDiff>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAuditRecord = InferEntity<typeof AuditRecord>;

export { type AuditActor, auditAs, currentActor } from './audit-actor.js';

/** The request and trace the current write belongs to (null outside a request / with tracing off). */
export function currentRequestIds(): { requestId: string | null; traceId: string | null } {
  const context = trace.getActiveSpan()?.spanContext();
  return {
    requestId: currentRequest()?.requestId ?? null,
    traceId: context && isSpanContextValid(context) ? context.traceId : null,
  };
}

/** The audit table of a subgraph's schema and its indexes: each subgraph's audit migration runs these. */
export function auditTableSql(schema: string): string[] {
  const table = `"${schema}"."audit_record"`;
  return [
    `create table ${table} (
      "id" uuid primary key,
      "entity_type" varchar(255) not null,
      "entity_id" varchar(255) not null,
      "action" text not null check ("action" in ('CREATE', 'UPDATE', 'DELETE')),
      "actor_kind" varchar(255) not null,
      "actor_id" varchar(255) null,
      "storefront_id" uuid null,
      "customer_id" uuid null,
      "request_id" varchar(255) null,
      "trace_id" varchar(255) null,
      "diff" jsonb not null,
      "created_at" timestamptz not null
    )`,
    `create index "audit_record_entity_idx" on ${table} ("entity_type", "entity_id", "id")`,
    `create index "audit_record_customer_idx" on ${table} ("customer_id", "id") where "customer_id" is not null`,
  ];
}
