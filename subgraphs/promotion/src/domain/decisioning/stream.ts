import { hostname } from 'node:os';
import { type DeadLetter, isUuid, loggerFor, type StreamConsumer, type StreamEntry, startStreamConsumer } from '@dcrm/kit';
import { type Decisioning, decideBatch, type Incoming } from './decide.js';
import { MAX_PAYLOAD_CHARS } from './validate-event.js';

/**
 * The high-volume path: a Redis stream that mediation, charging and network systems XADD to. Each
 * entry is one event, fields (all strings):
 *   storefront  the brand's id (uuid)          producer  the sending system, e.g. `mediation-eu1`
 *   id          the producer's event id        type      DATA_USAGE, BALANCE_LOW, … or a custom type
 *   account | msisdn | email                   exactly one: the customer
 *   at          ISO 8601 time (default: now)   payload   JSON object text (default `{}`)
 * One consumer group of every promotion instance reads it; an entry is acknowledged once its decision
 * is recorded (or it is a duplicate); entries of a crashed instance are taken over. A rejected entry
 * (malformed, unknown type, invalid payload, unknown customer…), or one whose batches failed
 * `maxDeliveries` times, is moved to the dead-letter stream `dcrm.events.dead` with its reasons.
 */
export const EVENT_STREAM = 'dcrm.events';
export const EVENT_GROUP = 'promotion-decisioning';

export type StreamSettings = {
  stream?: string;
  group?: string;
  consumer?: string;
  minIdleMs?: number;
  reclaimEveryMs?: number;
  /** Entries per read (default DCRM_DECISION_BATCH, else 200). */
  count?: number;
  /** Batches in flight per process (default DCRM_DECISION_CONCURRENCY, else 4). */
  concurrency?: number;
  /** Deliveries of an entry before it is dead-lettered (default 5). */
  maxDeliveries?: number;
};

/** Reads one entry's fields into an event of its brand; a string when the entry cannot be one. */
export function entryEvent(entry: StreamEntry): Incoming | string {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < entry.fields.length; i += 2) f[entry.fields[i]] = entry.fields[i + 1];
  if (!isUuid(f.storefront)) return 'MISSING_STOREFRONT';
  let payload: unknown = {};
  if (f.payload) {
    if (f.payload.length > MAX_PAYLOAD_CHARS) return 'PAYLOAD_TOO_LARGE';
    try {
      payload = JSON.parse(f.payload);
    } catch {
      payload = 'not json';
    }
  }
  return {
    storefrontId: f.storefront,
    raw: {
      producer: f.producer,
      eventId: f.id,
      identity: { accountId: f.account ?? null, msisdn: f.msisdn ?? null, email: f.email ?? null },
      type: f.type,
      occurredAt: f.at ?? null,
      payload,
    },
    takeover: entry.reclaimed,
  };
}

/** Counts of what one consumer did (tests read them; metrics count the same). */
export type StreamStats = { accepted: number; duplicate: number; rejected: number; dead: number };

/** The brand named in a dead letter's fields, for its metric label: `none` when it names no brand. */
const brandOf = (fields: string[]) => {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'storefront' && isUuid(fields[i + 1])) return fields[i + 1];
  return 'none';
};

/** Starts a consumer of the event stream; stop it with the process. */
export async function startDecisionStream(
  d: Decisioning,
  url: string,
  settings: StreamSettings = {},
): Promise<StreamConsumer & { stats: StreamStats }> {
  const stats: StreamStats = { accepted: 0, duplicate: 0, rejected: 0, dead: 0 };
  const concurrency = settings.concurrency ?? (Number(process.env.DCRM_DECISION_CONCURRENCY) || 4);
  // A batch's actions are carried out after its entries are acknowledged (they are recorded, and the
  // delivery job covers a crash): the next batch is read meanwhile. At most two per batch slot in flight.
  const deliveries = new Set<Promise<void>>();
  const defer = (delivery: Promise<void>) => {
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  };
  const log = loggerFor('decisioning');
  const consumer = await startStreamConsumer({
    url,
    stream: settings.stream ?? EVENT_STREAM,
    group: settings.group ?? EVENT_GROUP,
    consumer: settings.consumer ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    count: settings.count ?? (Number(process.env.DCRM_DECISION_BATCH) || 200),
    // Caps and counts are atomic in Redis, claims are per event: batches of one customer may overlap.
    concurrency,
    minIdleMs: settings.minIdleMs,
    reclaimEveryMs: settings.reclaimEveryMs,
    deadStream: `${settings.stream ?? EVENT_STREAM}.dead`,
    maxDeliveries: settings.maxDeliveries,
    onDeadLetter: (letters) => {
      stats.dead += letters.length;
      for (const l of letters) d.metrics.dead.inc({ storefront: brandOf(l.fields), reason: l.reasons[0] ?? '' });
      void d.deadLetters.counted(letters).catch((error) => log.warn({ err: error }, 'dead letters not counted'));
    },
    handle: async (entries) => {
      const incoming: Incoming[] = [];
      const kept: StreamEntry[] = [];
      const acks: string[] = [];
      const dead: DeadLetter[] = [];
      for (const entry of entries) {
        const event = entryEvent(entry);
        if (typeof event === 'string') {
          stats.rejected++;
          d.metrics.events.inc({ path: 'STREAM', status: 'REJECTED', reason: event });
          log.warn({ entry: entry.id, reason: event }, 'stream entry rejected');
          dead.push({ id: entry.id, fields: entry.fields, reasons: [event] });
        } else {
          incoming.push(event);
          kept.push(entry);
        }
      }
      while (deliveries.size >= 2 * concurrency) await Promise.race(deliveries);
      let delivery: Promise<void> | undefined;
      const results = await decideBatch(d, 'STREAM', incoming, (p) => {
        delivery = p;
        defer(p);
      });
      const doneMs = Date.now();
      const actions: number[] = [];
      for (const [i, r] of results.entries()) {
        if (r.status === 'ACCEPTED') {
          stats.accepted++;
          // The entry id starts with its append time (ms, Redis's clock).
          const appended = Number.parseInt(kept[i].id, 10);
          d.metrics.lag.observe((doneMs - appended) / 1000);
          if (r.outcome === 'ACTION') actions.push(appended);
          acks.push(kept[i].id);
        } else if (r.status === 'DUPLICATE') {
          stats.duplicate++;
          acks.push(kept[i].id);
        } else {
          stats.rejected++;
          log.warn({ entry: kept[i].id, reason: r.reasons[0]?.code }, 'stream event rejected');
          dead.push({ id: kept[i].id, fields: kept[i].fields, reasons: r.reasons.map((x) => x.code) });
        }
      }
      void delivery?.then(() => {
        const deliveredMs = Date.now();
        for (const appended of actions) d.metrics.delivered.observe((deliveredMs - appended) / 1000);
      });
      return { ack: acks, dead };
    },
  });
  return {
    stop: async () => {
      await consumer.stop();
      await Promise.allSettled(deliveries);
    },
    stats,
  };
}
