import type { MikroORM } from '@dcrm/kit';
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

const COLUMNS = [
  'id',
  'storefront_id',
  'producer',
  'event_id',
  'event_type',
  'customer_id',
  'segment',
  'partner_id',
  'occurred_at',
  'outcome',
  'rule_id',
  'action_kind',
  'channel',
  'offer_id',
  'reasons',
  'decided_at',
];
const TUPLE = `(${COLUMNS.map((c) => (c === 'reasons' ? '?::jsonb' : '?')).join(', ')})`;

const values = (r: DecisionRow): unknown[] => [
  r.id,
  r.storefrontId,
  r.producer,
  r.eventId,
  r.eventType,
  r.customerId,
  r.segment,
  r.partnerId,
  r.occurredAt,
  r.outcome,
  r.ruleId,
  r.actionKind,
  r.channel,
  r.offerId,
  JSON.stringify(r.reasons),
  r.decidedAt,
];

/**
 * Writes decisions in one multi-row insert per batch. The unique key (brand, producer, event id) is
 * the last word on exactly-once: a row that conflicts was decided already (by another consumer, or
 * before a crash), and its caller gives its reservation back. Returns the ids actually inserted.
 */
export async function recordDecisions(orm: MikroORM, rows: DecisionRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = (await orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into "promotion"."decision" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${rows.map(() => TUPLE).join(', ')}
       on conflict ("storefront_id", "producer", "event_id") do nothing returning id`,
      rows.flatMap(values),
    )) as { id: string }[];
  return new Set(inserted.map((r) => r.id));
}
