import { executeBoundPrepared, loggerFor } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DecisionRule } from '../../entities/index.js';
import type { Decisioning } from './decide.js';
import { applyEffects, type Effect } from './effects.js';
import type { DecisionRow } from './recorder.js';
import type { DecisionChannel, Outcome } from './types.js';

/** The job that delivers what the decision path recorded but did not carry out (graphile-worker task names allow `:`). */
export const DELIVER_TASK = 'promotion:decision-deliver';
/** Decisions younger than this are left to the batch that recorded them (it is still delivering them). */
export const DELIVERY_GRACE_MS = 30_000;
const BATCH = 200;

/** Takes decisions carried out off the delivery outbox (the recorder put each ACTION decision there); prepared once per connection. */
async function markDelivered(em: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await executeBoundPrepared(em, `delete from "promotion"."decision_outbox" where "id" = any($1::uuid[])`, [ids]);
}

/**
 * Step 7 of a batch: carries out its recorded ACTION decisions and takes them off the outbox. A decision
 * whose delivery fails, or whose process dies before this, stays in the outbox: `deliverPending` finds it.
 */
export async function deliver(d: Decisioning, effects: Effect[]): Promise<void> {
  if (effects.length === 0) return;
  const em = d.orm.em.fork() as EntityManager;
  try {
    await markDelivered(em, await applyEffects(em, d.services, d.rules, effects));
  } catch (error) {
    loggerFor('promotion').error({ err: error }, 'decision actions not carried out: the delivery job retries them');
  }
}

type Pending = {
  id: string;
  /** Null when its decision row is gone (purged): nothing left to deliver. */
  storefront_id: string | null;
  producer: string;
  event_id: string;
  event_type: string;
  customer_id: string;
  segment: string;
  partner_id: string | null;
  occurred_at: Date;
  rule_id: string | null;
  action_kind: string | null;
  channel: DecisionChannel | null;
  offer_id: string | null;
  decided_at: Date;
};

/**
 * The delivery outbox: ACTION decisions recorded at least `olderThanMs` ago and still in the outbox,
 * oldest first, locked (`skip locked`: instances running it at once take different rows). Each is carried
 * out as its batch would have (the offer keyed by decision, the notification by decision: what was done
 * before the crash is not done twice) and leaves the outbox in the same transaction as its offer. A
 * decision whose row, rule or customer is gone leaves it without action (retrying could never succeed).
 * Returns how many were delivered.
 */
export async function deliverPending(d: Decisioning, options: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
  const now = d.services.clock.now();
  const cutoff = new Date(now.getTime() - (options.olderThanMs ?? DELIVERY_GRACE_MS));
  return (d.orm.em.fork() as EntityManager).transactional(async (tx) => {
    const pending = (await tx.execute(
      `select o."id", d."storefront_id", d."producer", d."event_id", d."event_type", d."customer_id", d."segment", d."partner_id",
              d."occurred_at", d."rule_id", d."action_kind", d."channel", d."offer_id", o."decided_at"
         from "promotion"."decision_outbox" o left join "promotion"."decision" d on d."id" = o."id"
        where o."decided_at" < ? order by o."decided_at" limit ? for update of o skip locked`,
      [cutoff, options.limit ?? BATCH],
    )) as Pending[];
    if (pending.length === 0) return 0;
    const unreachable: string[] = [];
    const rows: (Pending & { storefront_id: string })[] = [];
    for (const r of pending) {
      if (r.storefront_id === null) unreachable.push(r.id);
      else rows.push(r as Pending & { storefront_id: string });
    }
    const ruleIds = [...new Set(rows.flatMap((r) => (r.rule_id ? [r.rule_id] : [])))];
    const rules = new Map((ruleIds.length ? await tx.find(DecisionRule, { id: { $in: ruleIds } }) : []).map((r) => [r.id, r]));
    await d.rules.load(rows.map((r) => r.storefront_id));
    const profiles = await d.profiles.resolve(rows.map((r) => ({ storefrontId: r.storefront_id, identity: { accountId: r.customer_id } })));
    const effects: Effect[] = [];
    for (const [n, r] of rows.entries()) {
      const rule = r.rule_id ? rules.get(r.rule_id) : undefined;
      const profile = profiles[n];
      if (!rule || !profile || !r.channel) {
        unreachable.push(r.id);
        continue;
      }
      effects.push({ row: toRow(r), rule, profile, channel: r.channel });
    }
    const done = await applyEffects(tx, d.services, d.rules, effects);
    await markDelivered(tx, [...done, ...unreachable]);
    if (unreachable.length) loggerFor('promotion').warn({ decisions: unreachable }, 'decisions closed undelivered: rule or customer gone');
    return done.length;
  });
}

const toRow = (r: Pending & { storefront_id: string }): DecisionRow => ({
  id: r.id,
  storefrontId: r.storefront_id,
  producer: r.producer,
  eventId: r.event_id,
  eventType: r.event_type,
  customerId: r.customer_id,
  segment: r.segment,
  partnerId: r.partner_id,
  occurredAt: r.occurred_at,
  outcome: 'ACTION' satisfies Outcome,
  ruleId: r.rule_id,
  actionKind: r.action_kind,
  channel: r.channel,
  offerId: r.offer_id,
  reasons: [],
  decidedAt: r.decided_at,
});
