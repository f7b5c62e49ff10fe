import { type MikroORM, newId, offerChannels } from '@dcrm/kit';
import type { PromotionServices } from '../services.js';
import { arbitrate, type Winner } from './arbitrate.js';
import { deliver } from './delivery.js';
import type { Effect } from './effects.js';
import type { DecisionMetrics } from './metrics.js';
import type { ProfileCache } from './profiles.js';
import { type DecisionRow, recordDecisions } from './recorder.js';
import type { RuleCache } from './rule-cache.js';
import { candidates } from './rules.js';
import { eventKey, type HotStore } from './store.js';
import type { ExternalEvent, IngestResult, Profile, Reason, ValidEvent } from './types.js';
import { validateEvent } from './validate-event.js';

/** What the decision path holds for the life of the process. */
export type Decisioning = {
  orm: MikroORM;
  services: PromotionServices;
  store: HotStore;
  rules: RuleCache;
  profiles: ProfileCache;
  metrics: DecisionMetrics;
  /** This process, in its claims (a claim names who holds it). */
  token: string;
};

/** One event to decide, of one brand; `takeover` when it was reclaimed from a consumer presumed dead. */
export type Incoming = { storefrontId: string; raw: ExternalEvent; takeover: boolean };

type Working = { i: number; event: ValidEvent; key: string; profile?: Profile; winner?: Winner | null; reasons: Reason[] };

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
 * 2. claim the event id in the hot store (a decided or busy id is a DUPLICATE);
 * 3. resolve the customer (profile cache) — unknown or another brand's: REJECTED;
 * 4. count the event into the customer's hot context and read it back (one Lua call);
 * 5. match the brand's rules and arbitrate, reserving caps atomically (NO_ACTION when nothing wins);
 * 6. record every decision with its reasons in one insert — a conflict there means another consumer
 *    decided the event first: its reservation is given back and it reports DUPLICATE;
 * 7. carry out the ACTION decisions (offers, live publish, notifications) and stamp them delivered —
 *    a crash before that leaves them to the delivery job (delivery.ts).
 * Redis calls of the batch run side by side (the store's connection pipelines them); the database is
 * touched once to record and once for the batch's offers. A throw leaves every claim released and
 * every reservation given back, so a retry (a reclaimed stream entry) starts clean.
 */
export async function decideBatch(d: Decisioning, path: 'MUTATION' | 'STREAM', items: Incoming[]): Promise<IngestResult[]> {
  const stopTimer = d.metrics.batch.startTimer({ path });
  const nowMs = d.services.clock.now().getTime();
  const results: IngestResult[] = items.map((item) => result(String(item.raw.eventId ?? ''), 'ACCEPTED'));
  const reject = (i: number, code: string, message: string, field?: string[]) => {
    results[i] = result(results[i].eventId, 'REJECTED', [{ code, message, ...(field ? { field } : {}) }]);
  };
  await d.rules.load(items.map((item) => item.storefrontId));

  // 1–2. Validate, then claim.
  const valid: Working[] = [];
  for (const [i, item] of items.entries()) {
    const checked = validateEvent(item.storefrontId, item.raw, d.rules, nowMs);
    if ('code' in checked) reject(i, checked.code, checked.message, checked.field);
    else valid.push({ i, event: checked, key: eventKey(item.storefrontId, checked.producer, checked.eventId), reasons: [] });
  }
  const claims = await Promise.all(valid.map((w) => d.store.claim(w.key, d.token, items[w.i].takeover)));
  const claimed = valid.filter((w, n) => {
    if (claims[n] === 'CLAIMED') return true;
    results[w.i] = result(results[w.i].eventId, 'DUPLICATE');
    return false;
  });
  const reserved: Working[] = [];
  try {
    // 3. Who.
    const profiles = await d.profiles.resolve(claimed.map((w) => ({ storefrontId: w.event.storefrontId, identity: w.event.identity })));
    const known = claimed.filter((w, n) => {
      w.profile = profiles[n] ?? undefined;
      if (w.profile) return true;
      reject(w.i, 'UNKNOWN_CUSTOMER', 'No customer of this brand has that identity', ['identity']);
      return false;
    });
    await Promise.all(claimed.filter((w) => !w.profile).map((w) => d.store.settle(w.key, false)));

    // 4–5. Context, rules, arbitration.
    await Promise.all(
      known.map(async (w) => {
        const profile = w.profile as Profile;
        const plan = typeof w.event.payload.plan === 'string' ? w.event.payload.plan : null;
        const features = await d.store.touch(profile.customerId, w.event.type, w.event.measure, w.event.occurredAt.getTime(), plan);
        const { ranked, reasons } = candidates(d.rules.rules(w.event.storefrontId), { event: w.event, features, profile });
        w.reasons.push(...reasons);
        if (ranked.length === 0) {
          w.reasons.push({ ruleId: null, code: 'NO_MATCH', message: 'No rule matched: no action' });
          w.winner = null;
          return;
        }
        const connected = ((await d.services.bus.listeners?.(offerChannels.customer(profile.customerId))) ?? 0) > 0;
        w.winner = await arbitrate(d.store, ranked, profile, connected, nowMs, w.reasons);
        if (w.winner) reserved.push(w);
        else w.reasons.push({ ruleId: null, code: 'ALL_CAPPED', message: 'Every matching rule was capped: no action' });
      }),
    );

    // 6. Record.
    const decidedAt = new Date(nowMs);
    const rows: DecisionRow[] = known.map((w) => {
      const profile = w.profile as Profile;
      const winner = w.winner ?? null;
      return {
        id: newId(),
        storefrontId: w.event.storefrontId,
        producer: w.event.producer,
        eventId: w.event.eventId,
        eventType: w.event.type,
        customerId: profile.customerId,
        segment: profile.segment,
        partnerId: profile.partnerId,
        occurredAt: w.event.occurredAt,
        outcome: winner ? 'ACTION' : 'NO_ACTION',
        ruleId: winner?.rule.id ?? null,
        actionKind: winner?.rule.action.kind ?? null,
        channel: winner?.channel ?? null,
        offerId: winner && winner.rule.action.kind !== 'MESSAGE' ? newId() : null,
        reasons: w.reasons,
        decidedAt,
      };
    });
    const inserted = await recordDecisions(d.orm, rows);
    const effects: Effect[] = [];
    await Promise.all(
      known.map(async (w, n) => {
        const row = rows[n];
        if (!inserted.has(row.id)) {
          // Decided already (another consumer, or before a crash): give the caps back.
          if (w.winner) await d.store.release(w.winner.reservation);
          w.winner = null;
          results[w.i] = result(results[w.i].eventId, 'DUPLICATE');
          await d.store.settle(w.key, true);
          return;
        }
        w.winner && effects.push({ row, rule: w.winner.rule, profile: w.profile as Profile, channel: w.winner.channel });
        results[w.i] = { eventId: row.eventId, status: 'ACCEPTED', decisionId: row.id, outcome: row.outcome, reasons: [] };
        d.metrics.decisions.inc({ outcome: row.outcome, channel: row.channel ?? 'NONE' });
        await d.store.settle(w.key, true);
      }),
    );
    reserved.length = 0;
    // 7. Act. The decisions stand whatever happens here: one not stamped delivered is retried by the delivery job.
    await deliver(d, effects);
  } catch (error) {
    await Promise.allSettled([
      ...reserved.map((w) => (w.winner ? d.store.release(w.winner.reservation) : null)),
      ...claimed.map((w) => d.store.settle(w.key, false)),
    ]);
    throw error;
  } finally {
    stopTimer();
  }
  for (const r of results) d.metrics.events.inc({ path, status: r.status, reason: r.reasons[0]?.code ?? '' });
  return results;
}
