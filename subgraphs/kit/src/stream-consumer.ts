import { Redis } from 'ioredis';
import { loggerFor } from './logger.js';
import { watchRedis } from './redis-watch.js';
import { type DeadLetter, deadLetter, deadLetterStream, deliveryCounts } from './stream-dead-letter.js';

/** One stream entry: its id, its flat field/value list as XADD wrote it, and whether it was reclaimed from another consumer. */
export type StreamEntry = { id: string; fields: string[]; reclaimed: boolean };

/** What a handler did with a batch: the ids to acknowledge, and the entries to set aside in the dead-letter stream. */
export type HandledBatch = { ack: string[]; dead?: DeadLetter[] };

export type StreamConsumerOptions = {
  url: string;
  stream: string;
  group: string;
  /** Unique per process (e.g. host:pid:random): pending entries are owned by it. */
  consumer: string;
  /** Entries per XREADGROUP / XAUTOCLAIM (default 200). */
  count?: number;
  /** How long one XREADGROUP waits for new entries (default 500 ms; also how long `stop` may take). */
  blockMs?: number;
  /** Entries pending longer than this under any consumer are taken over (default 30 s). */
  minIdleMs?: number;
  /** How often pending entries are looked for, besides once at start (default 10 s). */
  reclaimEveryMs?: number;
  /**
   * Batches in flight at once (default 1), each read on a connection of its own: while one batch waits
   * on its round trips (store, peers, database), the next is read and handled — throughput is batch
   * size × concurrency ÷ batch latency. Handlers must tolerate two batches of one subject at once.
   */
  concurrency?: number;
  /** Where entries set aside go (default `<stream>.dead`): see `deadLetter`. */
  deadStream?: string;
  /**
   * A reclaimed entry delivered more than this many times (its batches kept failing) is moved to the
   * dead-letter stream with the reason `MAX_DELIVERIES` instead of being handled again (default 5).
   */
  maxDeliveries?: number;
  /** Told of every entry moved to the dead-letter stream (e.g. to count it), after the move. */
  onDeadLetter?: (letters: DeadLetter[]) => void;
  /**
   * Handles a batch; returns the ids to acknowledge (decided, duplicate) and the entries to dead-letter
   * (rejected: acknowledged too, with the move). An id left out, or a throw, leaves its entry pending:
   * it is reclaimed after `minIdleMs`.
   */
  handle: (entries: StreamEntry[]) => Promise<HandledBatch>;
};

export type StreamConsumer = { stop(): Promise<void> };

type RawEntry = [id: string, fields: string[] | null];

/**
 * A Redis Streams consumer-group reader: at-least-once delivery across any number of processes.
 * New entries come from XREADGROUP (`>`), acknowledged with XACK once handled; entries a crashed or
 * stuck consumer left pending are taken over with XAUTOCLAIM at start and every `reclaimEveryMs`.
 * The group is created at the stream's start (`0`, MKSTREAM), so entries appended before the first
 * consumer ever ran are read too. Its own connection: XREADGROUP BLOCK holds it.
 */
export async function startStreamConsumer(options: StreamConsumerOptions): Promise<StreamConsumer> {
  const log = loggerFor('stream-consumer');
  const count = options.count ?? 200;
  const blockMs = options.blockMs ?? 500;
  const minIdleMs = options.minIdleMs ?? 30_000;
  const reclaimEveryMs = options.reclaimEveryMs ?? 10_000;
  const maxDeliveries = options.maxDeliveries ?? 5;
  const source = { stream: options.stream, group: options.group, deadStream: options.deadStream ?? deadLetterStream(options.stream) };
  const bury = async (redis: Redis, letters: (DeadLetter & { deliveries?: number })[]) => {
    if (letters.length === 0) return;
    await deadLetter(redis, source, letters);
    options.onDeadLetter?.(letters);
  };
  const connections = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, (_, i) => {
    const redis = new Redis(options.url, { maxRetriesPerRequest: null, enableAutoPipelining: false });
    watchRedis(redis, `stream ${options.stream}${i ? ` #${i + 1}` : ''}`);
    return redis;
  });
  // Created (idempotently) by the loop, so a Redis away at start delays reading, not the process's start.
  let grouped = false;
  const ensureGroup = async (redis: Redis) => {
    try {
      await redis.xgroup('CREATE', options.stream, options.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
    }
    grouped = true;
  };

  const handle = async (redis: Redis, entries: StreamEntry[]) => {
    if (entries.length === 0) return;
    const { ack, dead = [] } = await options.handle(entries);
    await Promise.all([ack.length ? redis.xack(options.stream, options.group, ...ack) : null, bury(redis, dead)]);
  };

  // A reclaimed batch that fails again is retried entry by entry, so one poison entry fails alone.
  const handleReclaimed = async (redis: Redis, entries: StreamEntry[]) => {
    try {
      await handle(redis, entries);
    } catch (error) {
      if (entries.length === 1) throw error;
      log.warn({ err: error, stream: options.stream }, 'reclaimed batch failed: retrying entry by entry');
      for (const entry of entries) await handle(redis, [entry]).catch((e) => log.error({ err: e, entry: entry.id }, 'stream entry failed'));
    }
  };

  const reclaim = async (redis: Redis) => {
    let cursor = '0-0';
    do {
      const [next, claimed] = (await redis.xautoclaim(
        options.stream,
        options.group,
        options.consumer,
        minIdleMs,
        cursor,
        'COUNT',
        count,
      )) as [string, RawEntry[]];
      cursor = next;
      // Entries trimmed from the stream since come back with no fields: nothing to decide, just acknowledge.
      const gone = claimed.filter(([, fields]) => !fields).map(([id]) => id);
      if (gone.length) await redis.xack(options.stream, options.group, ...gone);
      const live = claimed.filter(([, fields]) => fields).map(([id, fields]) => ({ id, fields: fields as string[], reclaimed: true }));
      const counts = await deliveryCounts(
        redis,
        options.stream,
        options.group,
        options.consumer,
        live.map((e) => e.id),
      );
      const spent = live.filter((e) => (counts.get(e.id) ?? 1) > maxDeliveries);
      await bury(
        redis,
        spent.map((e) => ({ ...e, reasons: ['MAX_DELIVERIES'], deliveries: counts.get(e.id) })),
      );
      await handleReclaimed(
        redis,
        live.filter((e) => !spent.includes(e)),
      );
    } while (cursor !== '0-0' && !stopping);
  };

  let stopping = false;
  let lastReclaim = 0;
  // The first loop also takes pending entries over; every loop reads new ones.
  const loop = async (redis: Redis, first: boolean) => {
    while (!stopping) {
      try {
        if (!grouped) await ensureGroup(redis);
        if (first && Date.now() - lastReclaim >= reclaimEveryMs) {
          lastReclaim = Date.now();
          await reclaim(redis);
        }
        const answer = (await redis.xreadgroup(
          'GROUP',
          options.group,
          options.consumer,
          'COUNT',
          count,
          'BLOCK',
          blockMs,
          'STREAMS',
          options.stream,
          '>',
        )) as [string, RawEntry[]][] | null;
        const entries = answer?.[0]?.[1] ?? [];
        await handle(
          redis,
          entries.map(([id, fields]) => ({ id, fields: fields ?? [], reclaimed: false })),
        );
      } catch (error) {
        if (stopping) break;
        // The stream (and its group) may have been deleted: create them again on the next turn.
        if (String((error as Error).message).includes('NOGROUP')) grouped = false;
        // The batch stays pending and is reclaimed; wait a little so an outage is not a busy loop.
        log.error({ err: error, stream: options.stream }, 'stream batch not handled');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const running = Promise.all(connections.map((redis, i) => loop(redis, i === 0)));
  return {
    async stop() {
      stopping = true;
      // The batch in hand is finished and acknowledged; a read blocked on an absent Redis is cut short.
      const settled = await Promise.race([running.then(() => true), new Promise((r) => setTimeout(r, blockMs + 2_000, false))]);
      for (const redis of connections) redis.disconnect();
      if (!settled) await running;
    },
  };
}
