import { Redis } from 'ioredis';
import { loggerFor } from './logger.js';
import { watchRedis } from './redis-watch.js';

/** One stream entry: its id, its flat field/value list as XADD wrote it, and whether it was reclaimed from another consumer. */
export type StreamEntry = { id: string; fields: string[]; reclaimed: boolean };

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
  /**
   * Handles a batch; returns the ids to acknowledge (decided, duplicate or rejected). An id left out,
   * or a throw, leaves its entry pending: it is reclaimed after `minIdleMs`.
   */
  handle: (entries: StreamEntry[]) => Promise<string[]>;
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
    const ids = await options.handle(entries);
    if (ids.length) await redis.xack(options.stream, options.group, ...ids);
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
      await handle(
        redis,
        claimed.filter(([, fields]) => fields).map(([id, fields]) => ({ id, fields: fields as string[], reclaimed: true })),
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
