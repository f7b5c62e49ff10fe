import type { Redis } from 'ioredis';

/**
 * Realistic event streams for the decisioning bench: the type mix of a mobile network's mediation,
 * charging and app analytics (data usage dominant), customers drawn with a Zipf-like skew (a few heavy
 * users send much of the traffic), each subscriber known by MSISDN (or account id), XADDed to the
 * stream in one pipeline per tick at a target rate.
 */

/** Share of the stream per type (sums to 1). */
export const TYPE_MIX: [type: string, share: number][] = [
  ['DATA_USAGE', 0.55],
  ['APP_USAGE', 0.15],
  ['SESSION_ENDED', 0.14],
  ['BALANCE_LOW', 0.06],
  ['RECHARGE', 0.07],
  ['ROAMING_ENTERED', 0.03],
];

const APPS = ['video', 'social', 'music', 'maps', 'games', 'messaging'];
const COUNTRIES = ['FR', 'ES', 'IT', 'DE', 'US', 'PT', 'GB', 'NL'];
const PLANS = ['prepaid-10', 'prepaid-20', 'unlimited'];

/** A small fast PRNG (mulberry32): the run is reproducible from its seed and costs no crypto. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The MSISDN of subscriber n (1-based), as the seed writes it into `customer.mobile`. */
export const msisdnOf = (n: number) => `+35387${String(n).padStart(7, '0')}`;

export type Generator = { next(): Record<string, string> };

/**
 * Events over `subscribers` customers. Ranks follow a Zipf law of exponent `skew` (< 1; 0.6: the
 * heaviest subscriber sends ~0.4 % of a million-subscriber stream), mapped onto subscribers by a
 * multiplicative permutation so heavy users are spread over the base.
 */
export function generator(options: {
  storefrontId: string;
  producer: string;
  subscribers: number;
  skew: number;
  seed: number;
  /** Account ids by subscriber (index n - 1): identify by account instead of MSISDN. */
  accounts?: string[];
}): Generator {
  const rnd = random(options.seed);
  const n = options.subscribers;
  const exponent = 1 / (1 - options.skew);
  // A multiplier coprime with n (a prime larger than any base) permutes 0..n-1.
  const prime = 1_000_003;
  let sequence = 0;
  const cumulative: [string, number][] = [];
  let total = 0;
  for (const [type, share] of TYPE_MIX) cumulative.push([type, (total += share)]);
  const pickType = () => {
    const u = rnd() * total;
    for (const [type, upTo] of cumulative) if (u < upTo) return type;
    return cumulative[cumulative.length - 1][0];
  };
  const payload = (type: string): string => {
    switch (type) {
      case 'DATA_USAGE':
        return `{"usedShare":${(rnd() * 1.05).toFixed(3)},"allowanceMb":20480}`;
      case 'APP_USAGE':
        return `{"app":"${APPS[Math.floor(rnd() * APPS.length)]}","megabytes":${(rnd() * 300).toFixed(1)}}`;
      case 'SESSION_ENDED':
        return `{"durationSeconds":${Math.floor(rnd() * 3600)},"kind":"${rnd() < 0.7 ? 'DATA' : 'VOICE'}"}`;
      case 'BALANCE_LOW':
        return `{"balance":${(rnd() * 5).toFixed(2)},"currency":"EUR"}`;
      case 'RECHARGE':
        return `{"amount":${[5, 10, 20, 30][Math.floor(rnd() * 4)]},"plan":"${PLANS[Math.floor(rnd() * PLANS.length)]}"}`;
      default:
        return `{"country":"${COUNTRIES[Math.floor(rnd() * COUNTRIES.length)]}"}`;
    }
  };
  return {
    next() {
      const rank = Math.min(n - 1, Math.floor(n * rnd() ** exponent));
      const subscriber = ((rank * prime) % n) + 1;
      const type = pickType();
      const event: Record<string, string> = { storefront: options.storefrontId, producer: options.producer, id: String(++sequence), type };
      if (options.accounts) event.account = options.accounts[subscriber - 1];
      else event.msisdn = msisdnOf(subscriber);
      event.at = new Date().toISOString();
      event.payload = payload(type);
      return event;
    },
  };
}

/**
 * Appends `rate` events a second for `seconds`, one pipeline every 10 ms; returns how many were
 * appended (fewer than asked when the producer itself cannot keep up: the report says so).
 */
export async function produce(redis: Redis, stream: string, events: Generator, rate: number, seconds: number): Promise<number> {
  const started = performance.now();
  let sent = 0;
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    if (due > sent) {
      const pipeline = redis.pipeline();
      for (; sent < due; sent++) {
        const fields = events.next();
        const flat: string[] = [];
        for (const key in fields) flat.push(key, fields[key]);
        pipeline.xadd(stream, 'MAXLEN', '~', 1_000_000, '*', ...flat);
      }
      await pipeline.exec();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return sent;
}
