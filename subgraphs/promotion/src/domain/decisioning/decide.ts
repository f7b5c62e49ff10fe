import { loggerFor, type MikroORM } from '@dcrm/kit';
import type { PromotionServices } from '../services.js';
import { releaseWinner } from './arbitrate.js';
import type { BrandStore } from './brand-store.js';
import { choose, rowOf, type Working } from './choose.js';
import type { DeadLetters } from './dead-letters.js';
import { deliver } from './delivery.js';
import type { Effect } from './effects.js';
import { type Lost, releaseLost } from './lost-race.js';
import type { DecisionMetrics } from './metrics.js';
import type { ProfileCache } from './profiles.js';
import { recordDecisions } from './recorder.js';
import type { RuleCache } from './rule-cache.js';
import { readsContext } from './rules.js';
import { dayOf, eventKey, type HotStore } from './store.js';
import type { ExternalEvent, IngestResult, ValidEvent } from './types.js';
import { validateEvent } from './validate-event.js';

/** What the decision path holds for the life of the process. */
export type Decisioning = {
  orm: MikroORM;
  services: PromotionServices;
  store: HotStore;
  /** Per brand: offers sent and answered per channel (the daily budgets are reserved in `store`). */
  brands: BrandStore;
  rules: RuleCache;
  /** Events set aside with reasons (the stream's dead letters, the bus's rejections), for staff. */
  deadLetters: DeadLetters;
  profiles: ProfileCache;
  metrics: DecisionMetrics;
  /** This process, in its claims (a claim names who holds it). */
  token: string;
};

/** One event to decide, of one brand; `takeover` when it was reclaimed from a consumer presumed dead. */
export type Incoming = { storefrontId: string; raw: ExternalEvent; takeover: boolean };

const result = (eventId: string, status: IngestResult['status'], reasons: IngestResult['reasons'] = []): IngestResult => ({
  eventId,
  status,
  decisionId: null,
  outcome: null,
  reasons,
});

/**
 * Decides a batch of external events, each exactly once by (brand, producer, event id):
 * 1. validate (all or nothing per event; a rejection changes nothing);
 * 2. resolve the customer (profile cache) — unknown or another brand's: REJECTED, nothing claimed or counted;
 * 3. claim each event id and count it into its customer's hot context, once per event even when its
 *    claim is taken over, in one store call for the batch (a decided or busy id is a DUPLICATE);
 * 4. match the brand's rules;
 * 5. ask once for the batch which customers are connected, then arbitrate, reserving caps and the
 *    brand's daily budgets atomically under the event (deciding it again reuses them), channels ranked by consent, preference and response rate
 *    (NO_ACTION when nothing wins);
 * 6. record every decision with its reasons in one insert — a conflict there means another consumer
 *    decided the event first: it reports DUPLICATE, and the event is left holding exactly what the
 *    recorded decision reserved (its own reservation given back; lost-race.ts);
 * 7. carry out the ACTION decisions (offers, live publish, notifications) and stamp them delivered —
 *    a crash before that leaves them to the delivery job (delivery.ts) —, counting offers sent per channel.
 * `path`: the mutation, the Redis stream, or the platform's own bus (`bus-events.ts`, `responses.ts`).
 * A throw leaves every claim released (its context count kept, so a retry does not count it again) and
 * every reservation given back, so a retry (a reclaimed stream entry) starts clean.
 */
export async function decideBatch(
  d: Decisioning,
  path: 'MUTATION' | 'STREAM' | 'BUS',
  items: Incoming[],
  /** Takes step 7 off the caller's path (it never throws); by default the batch waits for it. */
  defer?: (delivery: Promise<void>) => void,
): Promise<IngestResult[]> {
  const stopTimer = d.metrics.batch.startTimer({ path });
  try {
    const results = await decide(d, items, defer);
    // One increment per (status, reason) of the batch, not per event: a label lookup costs more than the addition.
    const counts = new Map<string, number>();
    for (const r of results) {
      const key = `${r.status}\n${r.reasons[0]?.code ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      const [status, reason] = key.split('\n');
      d.metrics.events.inc({ path, status, reason }, n);
    }
    return results;
  } finally {
    stopTimer();
  }
}

async function decide(d: Decisioning, items: Incoming[], defer?: (delivery: Promise<void>) => void): Promise<IngestResult[]> {
  const nowMs = d.services.clock.now().getTime();
  const results: IngestResult[] = items.map((item) => result(String(item.raw.eventId ?? ''), 'ACCEPTED'));
  const reject = (i: number, code: string, message: string, field?: string[]) => {
    results[i] = result(results[i].eventId, 'REJECTED', [{ code, message, ...(field ? { field } : {}) }]);
  };
  await d.rules.load(items.map((item) => item.storefrontId));

  // 1–2. Validate, then who.
  const valid: { i: number; event: ValidEvent }[] = [];
  for (const [i, item] of items.entries()) {
    const checked = validateEvent(item.storefrontId, item.raw, d.rules, nowMs);
    if ('code' in checked) reject(i, checked.code, checked.message, checked.field);
    else valid.push({ i, event: checked });
  }
  const profiles = await d.profiles.resolve(valid.map((v) => ({ storefrontId: v.event.storefrontId, identity: v.event.identity })));
  const known: Working[] = [];
  for (const [n, v] of valid.entries()) {
    const profile = profiles[n];
    if (profile) {
      const key = eventKey(v.event.storefrontId, v.event.producer, v.event.eventId);
      known.push({ i: v.i, event: v.event, key, profile, reasons: [] });
    } else reject(v.i, 'UNKNOWN_CUSTOMER', 'No customer of this brand has that identity', ['identity']);
  }

  // 3. Claim and count.
  const begun = await d.store.begin(
    d.token,
    known.map((w) => ({
      key: w.key,
      takeover: items[w.i].takeover,
      customerId: w.profile.customerId,
      type: w.event.type,
      measure: w.event.measure,
      atMs: w.event.occurredAt.getTime(),
      plan: typeof w.event.payload.plan === 'string' ? w.event.payload.plan : null,
      context: readsContext(d.rules.rules(w.event.storefrontId), w.event.type),
    })),
  );
  const claimed: Working[] = [];
  for (const [n, w] of known.entries()) {
    const answer = begun[n];
    if (answer.claim === 'CLAIMED') {
      w.features = answer.features;
      claimed.push(w);
    } else results[w.i] = result(results[w.i].eventId, 'DUPLICATE');
  }
  const reserved: Working[] = [];
  try {
    // 4–5. Rules, then arbitration.
    await choose(d, claimed, nowMs, reserved);

    // 6. Record.
    const decidedAt = new Date(nowMs);
    const rows = claimed.map((w) => rowOf(w, decidedAt));
    const inserted = await recordDecisions(d.orm, rows);
    const effects: Effect[] = [];
    const lost: Lost[] = [];
    const decided = new Map<string, number>();
    for (const [n, w] of claimed.entries()) {
      const row = rows[n];
      if (!inserted.has(row.id)) {
        // Decided already (another consumer, or before a crash): the event ends holding what the recorded decision reserved.
        const { storefrontId, producer, eventId, customerId } = row;
        lost.push({ key: w.key, storefrontId, producer, eventId, customerId, winner: w.winner ?? null });
        w.winner = null;
        results[w.i] = result(results[w.i].eventId, 'DUPLICATE');
        continue;
      }
      if (w.winner) effects.push({ row, rule: w.winner.rule, profile: w.profile, channel: w.winner.channel });
      results[w.i] = { eventId: row.eventId, status: 'ACCEPTED', decisionId: row.id, outcome: row.outcome, reasons: [] };
      const label = `${row.outcome}\n${row.channel ?? 'NONE'}`;
      decided.set(label, (decided.get(label) ?? 0) + 1);
    }
    for (const [label, n] of decided) {
      const [outcome, channel] = label.split('\n');
      d.metrics.decisions.inc({ outcome, channel }, n);
    }
    await Promise.all([
      releaseLost(d, lost),
      d.store.settle(
        claimed.map((w) => w.key),
        true,
      ),
    ]);
    reserved.length = 0;
    // 7. Act. The decisions stand whatever happens here: one not stamped delivered is retried by the delivery job.
    // Offers sent per channel, for the channels' response rates, beside the actions (best effort: a lost count skews a rate, never a decision).
    const counted = d.brands
      .count(
        'sent',
        effects.map(({ row, channel }) => ({ storefrontId: row.storefrontId, segment: row.segment, channel, day: dayOf(nowMs) })),
      )
      .catch((error) => loggerFor('promotion').warn({ err: error }, 'channel counts not updated'));
    const delivery = Promise.all([deliver(d, effects), counted]).then(() => undefined);
    if (defer) defer(delivery);
    else await delivery;
  } catch (error) {
    await Promise.allSettled([
      ...reserved.map((w) => (w.winner ? releaseWinner(d, w.winner) : null)),
      d.store.settle(
        claimed.map((w) => w.key),
        false,
      ),
    ]);
    throw error;
  }
  return results;
}
