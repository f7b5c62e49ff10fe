import type { MikroORM } from '@dcrm/kit';
import type { Winner } from './arbitrate.js';
import type { HotStore } from './store.js';

type Recorded = { storefrontId: string; producer: string; eventId: string; ruleId: string | null; channel: string | null };

const RECORDED = `select d.storefront_id as "storefrontId", d.producer, d.event_id as "eventId", d.rule_id as "ruleId", d.channel
  from "promotion"."decision" d
  join jsonb_to_recordset(?::jsonb) as x("s" uuid, "p" text, "e" text) on d.storefront_id = x.s and d.producer = x.p and d.event_id = x.e`;

/**
 * Winners whose decisions lost the unique-key race (the event was recorded by another consumer, or
 * before a crash). A reservation is held under its event, so the two deciders may share one: when the
 * recorded decision won with the same rule and channel, the reservation is its own and stays; otherwise
 * (it took no action, or another) the loser's goes back — exactly what the loser reserved, once.
 * One read of the recorded decisions, on this rare path only.
 */
export type Lost = { winner: Winner; storefrontId: string; producer: string; eventId: string };

export async function releaseLost(d: { orm: MikroORM; store: HotStore }, lost: Lost[]): Promise<void> {
  if (lost.length === 0) return;
  const keyOf = (storefrontId: string, producer: string, eventId: string) => JSON.stringify([storefrontId, producer, eventId]);
  const events = lost.map((l) => ({ s: l.storefrontId, p: l.producer, e: l.eventId }));
  const rows = (await d.orm.em
    .fork()
    .getConnection()
    .execute(RECORDED, [JSON.stringify(events)])) as Recorded[];
  const recorded = new Map(rows.map((r) => [keyOf(r.storefrontId, r.producer, r.eventId), r]));
  await Promise.all(
    lost.map(({ winner, storefrontId, producer, eventId }) => {
      const r = recorded.get(keyOf(storefrontId, producer, eventId));
      const same = r?.ruleId === winner.rule.id && r.channel === winner.channel;
      return same ? undefined : d.store.release(winner.reservation);
    }),
  );
}
