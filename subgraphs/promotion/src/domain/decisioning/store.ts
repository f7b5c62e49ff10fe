import type { DecisionChannel, Features } from './types.js';

/** Keep a claimed event this long before another consumer may take it over (a crashed decider's lease). */
export const CLAIM_LEASE_MS = 60_000;
/** A decided event id is remembered this long in the hot store (the database's unique key remembers it forever). */
export const DONE_TTL_MS = 7 * 24 * 3_600_000;
/** Hour buckets older than this are dropped from the hot context; windows may span up to 7 days. */
export const FEATURE_HOURS = 24 * 8;
export const MAX_WINDOW_HOURS = 24 * 7;

export type ClaimAnswer = 'CLAIMED' | 'DONE' | 'BUSY';

/**
 * What arbitration asks to reserve for one candidate action of one event: every cap checked and
 * consumed in one atomic step — the customer's daily and channel caps, the rule's cooldown and budget,
 * the brand's daily caps. The store remembers it under the event (`eventKey`, with the customer's caps):
 * deciding the event again (its claim taken over after a crash) reuses the same reservation instead of
 * counting it twice, and a different one replaces it.
 */
export type Reservation = {
  eventKey: string;
  storefrontId: string;
  customerId: string;
  ruleId: string;
  channel: DecisionChannel;
  /** UTC day, e.g. 20261130: the daily caps' bucket. */
  day: string;
  dailyCap: number;
  channelDailyCap: number;
  cooldownMs: number;
  /** Total actions the rule may take (its campaign budget), or null for no limit. */
  budget: number | null;
  nowMs: number;
  /** The brand's actions per UTC day across its rules, or null for no limit. */
  brandActionCap: number | null;
  /** The brand's spend per UTC day (minor units of its currency), or null for no limit. */
  brandBudgetMinor: number | null;
  /** What this action costs the brand (minor units; 0 spends nothing). */
  costMinor: number;
};

export type ReserveAnswer = 'OK' | 'DAILY_CAP' | 'CHANNEL_CAP' | 'COOLDOWN' | 'BUDGET' | 'BRAND_BUDGET';

/**
 * One event's candidate actions, best first: per rule, its reservations in the order of its channels
 * (a rule with none is passed over).
 */
export type Candidates = readonly (readonly Reservation[])[];

/**
 * Tries an event's candidates in order, as `reserveFirst` does: the first that reserves wins; a
 * channel's own cap (CHANNEL_CAP) moves on to the rule's next channel, any other refusal to the next
 * rule, and the brand's day spent (BRAND_BUDGET) stops. Answers each candidate tried, in order.
 */
export function firstReserved(candidates: Candidates, reserve: (r: Reservation) => ReserveAnswer): ReserveAnswer[] {
  const answers: ReserveAnswer[] = [];
  for (const channels of candidates)
    for (const r of channels) {
      const answer = reserve(r);
      answers.push(answer);
      if (answer === 'OK' || answer === 'BRAND_BUDGET') return answers;
      if (answer !== 'CHANNEL_CAP') break;
    }
  return answers;
}

/** A brand's day so far: actions reserved and their cost (minor units). */
export type BrandDay = { actions: number; spentMinor: number };

/** What the store keeps for an event's reservation; equal for the same (rule, channel, day, budget, cost, brand). */
export const heldOf = (r: Reservation) =>
  [r.ruleId, r.channel, r.day, r.budget === null ? '0' : '1', String(r.costMinor), r.storefrontId].join('|');

/** One event to claim and count into its customer's context (`key`: eventKey; `takeover`: a reclaimed stream entry). */
export type BeginItem = {
  key: string;
  takeover: boolean;
  customerId: string;
  type: string;
  measure: number;
  atMs: number;
  plan: string | null;
  /** Whether the event's rules read the customer's context (COUNT, SUM, PLAN): if not, its features come back empty. */
  context: boolean;
};
/** Claimed (with the customer's features, this event counted once), or DONE / BUSY (a duplicate: nothing changed). */
export type Begun = { claim: 'CLAIMED'; features: Features } | { claim: 'DONE' | 'BUSY'; features: null };

/**
 * The hot store: idempotency claims, per-customer features and caps. Redis (every instance shares it,
 * Lua makes each step atomic) or memory (one process, no REDIS_URL). Nothing here touches the database.
 *
 * A claim remembers whether its event was counted into the context: a claim taken over (its consumer
 * died after counting) or released after a failure and claimed again does not count the event twice.
 */
export type HotStore = {
  /** Claims an event id; `takeover` (a reclaimed stream entry) may take an unfinished claim of a consumer presumed dead. */
  claim(key: string, token: string, takeover: boolean): Promise<ClaimAnswer>;
  /**
   * For each event, in one step for the batch: claims it (as `claim`) and, claimed, counts it into its
   * customer's features (and plan, if it names one) unless its claim says it was counted already, and
   * returns the features (a store may leave them empty for an item without `context`).
   */
  begin(token: string, items: readonly BeginItem[]): Promise<Begun[]>;
  /** After the decisions are recorded: remembered as done; after a failure: released for a retry (still marked counted). */
  settle(keys: readonly string[], done: boolean): Promise<void>;
  /** Reserves (or, the event holding the same one already, reuses) `r`; a different one the event holds is given back first. */
  reserve(r: Reservation): Promise<ReserveAnswer>;
  /**
   * For each event of a batch, in one step: reserves its first candidate that fits, each tried as
   * `reserve` would (firstReserved: the order and when to stop), events in order — so two events of
   * one customer in a batch see each other's reservations. Answers per event the candidates tried.
   */
  reserveFirst(events: readonly Candidates[]): Promise<ReserveAnswer[][]>;
  /** Gives back the event's reservation if it is still `r` (its decision was not recorded, or another one was). */
  release(r: Reservation): Promise<void>;
  /**
   * After a decider lost the race to a recorded decision: the event ends holding exactly the recorded
   * decision's reservation (`recorded`; null: it took no action). Whatever a re-decider swapped in is
   * given back, and the recorded one counted again if it was swapped out — with no cap checked, since
   * its action was taken. Idempotent: every loser of the event may call it.
   */
  adopt(eventKey: string, customerId: string, recorded: Reservation | null): Promise<void>;
  /** The brand's actions and spend reserved on `day`. */
  brandDay(storefrontId: string, day: string): Promise<BrandDay>;
  close(): Promise<void>;
};

export const hourOf = (ms: number) => Math.floor(ms / 3_600_000);
const DAY_MS = 24 * 3_600_000;
/** The last day asked, kept: events of a batch fall on one day, and formatting a date costs more than the rest of a reservation. */
let lastDay = { from: 0, to: 0, text: '' };
export const dayOf = (ms: number) => {
  if (ms >= lastDay.from && ms < lastDay.to) return lastDay.text;
  const from = Math.floor(ms / DAY_MS) * DAY_MS;
  lastDay = { from, to: from + DAY_MS, text: new Date(from).toISOString().slice(0, 10).replaceAll('-', '') };
  return lastDay.text;
};

/** The hot-store key of one event: by brand, producer and the producer's event id. */
export const eventKey = (storefrontId: string, producer: string, eventId: string) => `${storefrontId}:${producer}:${eventId}`;

/**
 * Count and sum of one type over the last `hours` hour buckets up to `atMs`. A customer holding fewer
 * buckets than the window has hours (the usual case) has each of them read once, rather than a key built
 * and looked up per hour; either way the sum adds the hours in order, so it is the same to the last bit.
 */
export function windowed(features: Features, type: string, hours: number, atMs: number): { count: number; sum: number } {
  const end = hourOf(atMs);
  const from = end - hours + 1;
  let count = 0;
  let sum = 0;
  if (features.buckets.size < hours) {
    const prefix = `${type}:`;
    let inWindow: [hour: number, sum: number][] | null = null;
    for (const [key, bucket] of features.buckets) {
      if (!key.startsWith(prefix)) continue;
      const h = Number(key.slice(prefix.length));
      if (!(h >= from && h <= end) || key !== `${prefix}${h}`) continue;
      count += bucket.count;
      (inWindow ??= []).push([h, bucket.sum]);
    }
    if (inWindow) for (const [, s] of inWindow.length > 1 ? inWindow.sort((a, b) => a[0] - b[0]) : inWindow) sum += s;
    return { count, sum };
  }
  for (let h = from; h <= end; h++) {
    const bucket = features.buckets.get(`${type}:${h}`);
    if (bucket) {
      count += bucket.count;
      sum += bucket.sum;
    }
  }
  return { count, sum };
}
