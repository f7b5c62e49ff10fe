import { executeBoundPrepared, type MikroORM } from '@dcrm/kit';
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

/** Columns a stream batch usually shares (one brand, one producer, one decision time): sent once when every row agrees. */
const SHARED = ['storefrontId', 'producer', 'decidedAt'] as const;
type Shared = (typeof SHARED)[number];

// Each field's key in the batch's JSON: one letter, not its name (the names were a third of the bytes sent and parsed).
const KEY: Record<keyof DecisionRow, string> = {
  id: 'i',
  storefrontId: 's',
  producer: 'p',
  eventId: 'e',
  eventType: 't',
  customerId: 'c',
  segment: 'g',
  partnerId: 'n',
  occurredAt: 'o',
  outcome: 'a',
  ruleId: 'r',
  actionKind: 'k',
  channel: 'h',
  offerId: 'f',
  reasons: 'w',
  decidedAt: 'd',
};

// The batch is one JSON parameter, bound server-side: the client neither converts nor escapes values per column.
// A shared column is its own parameter. A named prepared statement per shape (kit `executeBoundPrepared`): parsed
// and planned once per connection, not per batch. Its ACTION decisions enter the delivery outbox in the same statement
// (delivered: gone from there).
const statements = new Map<string, string>();
function insertOf(shared: ReadonlySet<Shared>): string {
  const mask = SHARED.map((f) => (shared.has(f) ? '1' : '0')).join('');
  let sql = statements.get(mask);
  if (sql) return sql;
  let param = 1;
  const parts = DECISION_COLUMNS.map(([, f, t]) => (shared.has(f as Shared) ? `$${++param}::${t}` : `x."${KEY[f]}"`));
  const shape = DECISION_COLUMNS.filter(([, f]) => !shared.has(f as Shared)).map(([, f, t]) => `"${KEY[f]}" ${t}`);
  sql = `with "written" as (
    insert into "promotion"."decision" (${DECISION_COLUMNS.map(([c]) => `"${c}"`).join(', ')})
    select ${parts.join(', ')} from jsonb_to_recordset($1::jsonb) as x(${shape.join(', ')})
    on conflict ("storefront_id", "producer", "event_id") do nothing returning "id", "outcome", "decided_at"
  ), "pending" as (
    insert into "promotion"."decision_outbox" ("id", "decided_at") select "id", "decided_at" from "written" where "outcome" = 'ACTION'
  )
  select "id" from "written"`;
  statements.set(mask, sql);
  return sql;
}

// A reason's JSON, written once per reason object: the rules' CONDITION_NOT_MET and NO_MATCH reasons are
// the same objects event after event (rules.ts, choose.ts), so most rows' reasons are joined, not serialised.
const reasonJson = new WeakMap<Reason, string>();
function reasonsOf(reasons: readonly Reason[]): string {
  let out = '[';
  for (let n = 0; n < reasons.length; n++) {
    const reason = reasons[n];
    let json = reasonJson.get(reason);
    if (json === undefined) {
      json = JSON.stringify({ ruleId: reason.ruleId, code: reason.code, message: reason.message });
      reasonJson.set(reason, json);
    }
    out += n ? `,${json}` : json;
  }
  return `${out}]`;
}

const text = JSON.stringify;

/** One row's JSON: shared columns left out, nulls omitted (a missing key reads as null). */
function rowJson(r: DecisionRow, shared: ReadonlySet<Shared>): string {
  let s = `{"i":${text(r.id)},"e":${text(r.eventId)},"t":${text(r.eventType)},"c":${text(r.customerId)},"g":${text(r.segment)},"o":"${r.occurredAt.toISOString()}","a":"${r.outcome}"`;
  if (!shared.has('storefrontId')) s += `,"s":${text(r.storefrontId)}`;
  if (!shared.has('producer')) s += `,"p":${text(r.producer)}`;
  if (!shared.has('decidedAt')) s += `,"d":"${r.decidedAt.toISOString()}"`;
  if (r.partnerId !== null) s += `,"n":${text(r.partnerId)}`;
  if (r.ruleId !== null) s += `,"r":${text(r.ruleId)}`;
  if (r.actionKind !== null) s += `,"k":${text(r.actionKind)}`;
  if (r.channel !== null) s += `,"h":"${r.channel}"`;
  if (r.offerId !== null) s += `,"f":${text(r.offerId)}`;
  return `${s},"w":${reasonsOf(r.reasons)}}`;
}

const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/**
 * Writes a batch's decisions in one statement. The unique key (brand, producer, event id) is the last
 * word on exactly-once: a row that conflicts was decided already (by another consumer, or before a
 * crash), and its caller gives its reservation back. Returns the ids actually inserted. Each ACTION
 * decision inserted is pending in the delivery outbox until its batch carries it out (delivery.ts).
 */
export async function recordDecisions(orm: MikroORM, rows: DecisionRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const first = rows[0];
  const shared = new Set<Shared>(SHARED.filter((f) => rows.every((r) => same(r[f], first[f]))));
  let json = '[';
  for (let n = 0; n < rows.length; n++) json += (n ? ',' : '') + rowJson(rows[n], shared);
  json += ']';
  const values: unknown[] = [json];
  // In the columns' order, as insertOf numbers them.
  for (const [, f] of DECISION_COLUMNS)
    if (shared.has(f as Shared)) values.push(f === 'decidedAt' ? first.decidedAt.toISOString() : first[f as Shared]);
  const inserted = await executeBoundPrepared<{ id: string }>(orm.em.fork(), insertOf(shared), values);
  return new Set(inserted.map((r) => r.id));
}
