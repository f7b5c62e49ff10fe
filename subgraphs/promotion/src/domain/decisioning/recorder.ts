import { executeBound, type MikroORM } from '@dcrm/kit';
import type { DecisionChannel, Outcome, Reason } from './types.js';

export type DecisionRow = {
  id: string;
  storefrontId: string;
  producer: string;
  eventId: string;
  eventType: string;
  customerId: string;
  segment: string;
  partnerId: string | null;
  occurredAt: Date;
  outcome: Outcome;
  ruleId: string | null;
  actionKind: string | null;
  channel: DecisionChannel | null;
  offerId: string | null;
  reasons: Reason[];
  decidedAt: Date;
};

/** The decision table's columns, the row fields they come from, and their SQL types. */
export const DECISION_COLUMNS: [column: string, field: keyof DecisionRow, type: string][] = [
  ['id', 'id', 'uuid'],
  ['storefront_id', 'storefrontId', 'uuid'],
  ['producer', 'producer', 'text'],
  ['event_id', 'eventId', 'text'],
  ['event_type', 'eventType', 'text'],
  ['customer_id', 'customerId', 'uuid'],
  ['segment', 'segment', 'text'],
  ['partner_id', 'partnerId', 'uuid'],
  ['occurred_at', 'occurredAt', 'timestamptz'],
  ['outcome', 'outcome', 'text'],
  ['rule_id', 'ruleId', 'uuid'],
  ['action_kind', 'actionKind', 'text'],
  ['channel', 'channel', 'text'],
  ['offer_id', 'offerId', 'uuid'],
  ['reasons', 'reasons', 'jsonb'],
  ['decided_at', 'decidedAt', 'timestamptz'],
];
// The batch is one JSON parameter (the rows as they are, by field name), bound server-side: the statement
// text is the same whatever the batch size (one plan), and the client neither converts nor escapes values.
// Its ACTION decisions enter the delivery outbox in the same statement (delivered: gone from there).
const INSERT = `with "written" as (
    insert into "promotion"."decision" (${DECISION_COLUMNS.map(([c]) => `"${c}"`).join(', ')})
    select ${DECISION_COLUMNS.map(([, f]) => `"${f}"`).join(', ')}
      from jsonb_to_recordset($1::jsonb) as x(${DECISION_COLUMNS.map(([, f, t]) => `"${f}" ${t}`).join(', ')})
    on conflict ("storefront_id", "producer", "event_id") do nothing returning "id", "outcome", "decided_at"
  ), "pending" as (
    insert into "promotion"."decision_outbox" ("id", "decided_at") select "id", "decided_at" from "written" where "outcome" = 'ACTION'
  )
  select "id" from "written"`;

/**
 * Writes a batch's decisions in one statement. The unique key (brand, producer, event id) is the last
 * word on exactly-once: a row that conflicts was decided already (by another consumer, or before a
 * crash), and its caller gives its reservation back. Returns the ids actually inserted. Each ACTION
 * decision inserted is pending in the delivery outbox until its batch carries it out (delivery.ts).
 */
export async function recordDecisions(orm: MikroORM, rows: DecisionRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await executeBound<{ id: string }>(orm.em.fork(), INSERT, [JSON.stringify(rows)]);
  return new Set(inserted.map((r) => r.id));
}
