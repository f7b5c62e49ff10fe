import { type DeadLetter, deadLetterStream, isUuid } from '@dcrm/kit';
import { type RedisLink, redisOf } from './redis-link.js';

/** One dead letter as staff read it: why, and what the event said it was (never its identity or payload). */
export type DeadLetterView = {
  /** Its id in the dead-letter stream (its time, Redis's clock): the cursor. */
  entryId: string;
  at: Date;
  reasons: string[];
  producer: string | null;
  eventId: string | null;
  type: string | null;
  deliveries: number | null;
};
export type DeadLetterPage = { rows: DeadLetterView[]; more: boolean; lastScanned: string | null };

/** Dead letters a page may look through (newest first) for one brand's before it answers with what it found. */
export const DEAD_SCAN_LIMIT = 10_000;
/** Dead letters kept in memory (no REDIS_URL), the oldest dropped first. */
const MEMORY_KEEP = 10_000;

/**
 * Events set aside with reasons, per brand: read by staff (`decisionDeadLetters`). On Redis they are the
 * dead-letter stream `dcrm.events.dead` (the stream consumer writes it, kit `deadLetter`; the bus path
 * adds its rejections, `add`), read newest first by entry id, and a hash of counts per brand and reason
 * (`dcrm:decide:dead:<brand>`) kept beside it; without Redis, the same in memory.
 */
export type DeadLetters = {
  /** Counts letters already written to the dead stream (by the stream consumer). */
  counted(letters: readonly DeadLetter[]): Promise<void>;
  /** Writes and counts letters of events rejected off the stream (the platform's own bus). */
  add(letters: readonly { fields: string[]; reasons: string[] }[]): Promise<void>;
  /** Up to `limit + 1` of the brand's letters older than `after` (an entry id), newest first, of `reason` if given. */
  page(storefrontId: string, reason: string | null, after: string | null, limit: number): Promise<DeadLetterPage>;
  /** The brand's letters by reason (their first, most telling one), most first. */
  counts(storefrontId: string): Promise<{ reason: string; count: number }[]>;
  close(): Promise<void>;
};

const fieldsOf = (flat: string[]) => {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) if (!f.has(flat[i])) f.set(flat[i], flat[i + 1]);
  return f;
};

/** A dead letter of the brand (and of the reason, if given) as staff see it; null when it is another's. */
export function viewOf(entryId: string, flat: string[], storefrontId: string, reason: string | null): DeadLetterView | null {
  const f = fieldsOf(flat);
  if (f.get('storefront') !== storefrontId) return null;
  const reasons = (f.get('dead.reasons') ?? '').split(',').filter(Boolean);
  if (reason && !reasons.includes(reason)) return null;
  const at = f.get('dead.at');
  const deliveries = f.get('dead.deliveries');
  return {
    entryId,
    at: at ? new Date(at) : new Date(Number.parseInt(entryId, 10)),
    reasons,
    producer: f.get('producer') ?? null,
    eventId: f.get('id') ?? null,
    type: f.get('type') ?? null,
    deliveries: deliveries ? Number(deliveries) : null,
  };
}

const brandOf = (fields: string[]) => {
  const s = fieldsOf(fields).get('storefront');
  return s && isUuid(s) ? s : null;
};
const sorted = (counts: Record<string, string | number>) =>
  Object.entries(counts)
    .map(([reason, count]) => ({ reason, count: Number(count) }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
const meta = (reasons: string[], at: Date) => ['dead.reasons', reasons.join(','), 'dead.at', at.toISOString()];

/** On Redis, beside the event stream `stream` (its dead letters are `<stream>.dead`). */
export function redisDeadLetters(link: RedisLink, stream: string): DeadLetters {
  const { redis, owned } = redisOf(link, 'decisioning dead letters');
  const dead = deadLetterStream(stream);
  const countsKey = (storefrontId: string) => `dcrm:decide:dead:${storefrontId}`;
  const count = async (letters: readonly { fields: string[]; reasons: string[] }[]) => {
    const pipeline = redis.pipeline();
    for (const l of letters) {
      const brand = brandOf(l.fields);
      if (brand) pipeline.hincrby(countsKey(brand), l.reasons[0] ?? 'UNKNOWN', 1);
    }
    if (pipeline.length) await pipeline.exec();
  };
  return {
    counted: count,
    async add(letters) {
      if (letters.length === 0) return;
      const pipeline = redis.pipeline();
      for (const l of letters) pipeline.xadd(dead, 'MAXLEN', '~', 100_000, '*', ...meta(l.reasons, new Date()), ...l.fields);
      await pipeline.exec();
      await count(letters);
    },
    async page(storefrontId, reason, after, limit) {
      const rows: DeadLetterView[] = [];
      let end = after ? `(${after}` : '+';
      let scanned = 0;
      let lastScanned: string | null = null;
      while (rows.length <= limit && scanned < DEAD_SCAN_LIMIT) {
        const chunk = (await redis.xrevrange(dead, end, '-', 'COUNT', 1_000)) as [string, string[]][];
        for (const [id, flat] of chunk) {
          scanned++;
          lastScanned = id;
          const view = viewOf(id, flat, storefrontId, reason);
          if (view) rows.push(view);
          if (rows.length > limit) break;
        }
        if (chunk.length < 1_000 || !lastScanned) return { rows, more: rows.length > limit, lastScanned };
        end = `(${lastScanned}`;
      }
      // Stopped at the scan limit: the page may be short, and more may lie beyond what was scanned.
      return { rows, more: true, lastScanned };
    },
    counts: async (storefrontId) => sorted(await redis.hgetall(countsKey(storefrontId))),
    close: async () => {
      if (owned) redis.disconnect();
    },
  };
}

/** In one process (no REDIS_URL): the newest MEMORY_KEEP letters and counts per brand. */
export function memoryDeadLetters(): DeadLetters {
  const letters: { entryId: string; fields: string[] }[] = [];
  const counts = new Map<string, Record<string, number>>();
  let last = 0;
  let seq = 0;
  const count = async (added: readonly { fields: string[]; reasons: string[] }[]) => {
    for (const l of added) {
      const brand = brandOf(l.fields);
      if (!brand) continue;
      const c = counts.get(brand) ?? {};
      const reason = l.reasons[0] ?? 'UNKNOWN';
      c[reason] = (c[reason] ?? 0) + 1;
      counts.set(brand, c);
    }
  };
  return {
    counted: count,
    async add(added) {
      for (const l of added) {
        const now = Date.now();
        seq = now === last ? seq + 1 : 0;
        last = now;
        letters.push({ entryId: `${now}-${seq}`, fields: [...meta(l.reasons, new Date(now)), ...l.fields] });
      }
      if (letters.length > MEMORY_KEEP) letters.splice(0, letters.length - MEMORY_KEEP);
      await count(added);
    },
    async page(storefrontId, reason, after, limit) {
      const rows: DeadLetterView[] = [];
      const older = (id: string) => {
        if (!after) return true;
        const [a, b] = id.split('-').map(Number);
        const [x, y] = after.split('-').map(Number);
        return a < x || (a === x && b < y);
      };
      for (let i = letters.length - 1; i >= 0 && rows.length <= limit; i--) {
        if (!older(letters[i].entryId)) continue;
        const view = viewOf(letters[i].entryId, letters[i].fields, storefrontId, reason);
        if (view) rows.push(view);
      }
      return { rows, more: rows.length > limit, lastScanned: null };
    },
    counts: async (storefrontId) => sorted(counts.get(storefrontId) ?? {}),
    async close() {},
  };
}
