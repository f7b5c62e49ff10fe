import type { MikroORM } from '@dcrm/kit';
import { reservationOf, type Winner } from './arbitrate.js';
import type { RuleCache } from './rule-cache.js';
import type { HotStore, Reservation } from './store.js';
import type { DecisionChannel } from './types.js';

export type Recorded = {
  storefrontId: string;
  producer: string;
  eventId: string;
  ruleId: string | null;
  channel: DecisionChannel | null;
  decidedAt: Date;
};

const RECORDED = `select d.storefront_id as "storefrontId", d.producer, d.event_id as "eventId", d.rule_id as "ruleId", d.channel,
    d.decided_at as "decidedAt"
  from "promotion"."decision" d
  join jsonb_to_recordset(?::jsonb) as x("s" uuid, "p" text, "e" text) on d.storefront_id = x.s and d.producer = x.p and d.event_id = x.e`;

/** A recorded decision older than this is past every race: its event's reservation is left as it is (its caps may be gone). */
const RACE_WINDOW_MS = 24 * 3_600_000;

/** A decision that lost the unique-key race: its event (eventKey `key`), its customer and what it won, if anything. */
export type Lost = { key: string; storefrontId: string; producer: string; eventId: string; customerId: string; winner: Winner | null };

/**
 * Decisions that lost the unique-key race (the event was recorded by another consumer, or before a
 * crash). A reservation is held under its event, so its deciders share one slot: a re-decider of a
 * taken-over event swaps out what the first decider reserved (or, refused, leaves nothing). Whoever
 * recorded first, the event must end holding what the recorded decision reserved — so each loser makes
 * the store hold exactly that (`adopt`): its own reservation goes back, and the recorded one is counted
 * again if a re-decider had swapped it out. When the recorded rule is no longer in the cache (it was
 * deactivated meanwhile), the loser only gives back its own. One read of the recorded decisions, on
 * this rare path only.
 */
export async function releaseLost(d: { orm: MikroORM; store: HotStore; rules: RuleCache }, lost: Lost[]): Promise<void> {
  if (lost.length === 0) return;
  const keyOf = (storefrontId: string, producer: string, eventId: string) => JSON.stringify([storefrontId, producer, eventId]);
  const events = lost.map((l) => ({ s: l.storefrontId, p: l.producer, e: l.eventId }));
  const rows = (await d.orm.em
    .fork()
    .getConnection()
    .execute(RECORDED, [JSON.stringify(events)])) as Recorded[];
  const recorded = new Map(rows.map((r) => [keyOf(r.storefrontId, r.producer, r.eventId), r]));
  await Promise.all(lost.map((l) => settleLost(d, l, recorded.get(keyOf(l.storefrontId, l.producer, l.eventId)) ?? null, Date.now())));
}

/** One loser against the decision recorded for its event (read by `releaseLost`; null: none found). */
export async function settleLost(d: { store: HotStore; rules: RuleCache }, l: Lost, r: Recorded | null, nowMs: number): Promise<void> {
  const recent = r !== null && new Date(r.decidedAt).getTime() > nowMs - RACE_WINDOW_MS;
  const held = recent ? recordedReservation(d.rules, l, r) : undefined;
  if (held !== undefined) await d.store.adopt(l.key, l.customerId, held);
  else if (l.winner) await d.store.release(l.winner.reservation);
}

/** What the recorded decision reserved (null: no action), rebuilt from its rule; undefined when its rule is gone from the cache. */
function recordedReservation(rules: RuleCache, l: Lost, r: Recorded): Reservation | null | undefined {
  if (!r.ruleId || !r.channel) return null;
  const rule = rules.rules(l.storefrontId).find((x) => x.id === r.ruleId);
  if (!rule) return undefined;
  const { dailyActionCap, dailyBudgetMinor } = rules.settings(l.storefrontId);
  const a = { storefrontId: l.storefrontId, eventKey: l.key, dailyActionCap, dailyBudgetMinor };
  return reservationOf(a, rule, r.channel, l.customerId, new Date(r.decidedAt).getTime());
}
