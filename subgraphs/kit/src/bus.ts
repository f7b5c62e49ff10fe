import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect as tcp } from 'node:net';
import { Redis } from 'ioredis';
import { auditAs } from './audit-actor.js';
import { type RedisLog, watchRedis } from './redis-watch.js';
import { inConsumerSpan, traceCarrier } from './tracing.js';

/** What the bus tells a handler beside the payload: when it was published (wall-clock ms; the live bench's breakdown). */
export type BusMeta = { publishedAt: number };

export type BusHandler = (payload: unknown, meta: BusMeta) => void;

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Fan-out of small notifications between processes (key revoked, offer published). Redis pub/sub
 * when REDIS_URL is set; in one process otherwise. Delivery is at-most-once: durable facts go
 * through each subgraph's outbox.
 */
export type EventBus = {
  publish(channel: string, payload: unknown): Promise<void>;
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /**
   * How many listeners a channel has across every process (Redis `PUBSUB NUMSUB`; in memory, this
   * process's): e.g. whether a customer has a live-offer subscription open on some router.
   */
  listeners?(channel: string): Promise<number>;
  /** `listeners` of many channels in one round trip (one `PUBSUB NUMSUB`), in their order. */
  listenersOf?(channels: readonly string[]): Promise<number[]>;
};

/** What a handler writes is the system's reaction to the event, not the publisher's doing (audit trail). */
const eventActor = (channel: string) => ({ kind: 'system', id: `event ${channel}` });

export function memoryBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: async (channel, payload) => {
      const meta: BusMeta = { publishedAt: wallNow() };
      auditAs(eventActor(channel), () => emitter.emit(channel, payload, meta));
    },
    subscribe: async (channel, handler) => {
      emitter.on(channel, handler);
      return async () => {
        emitter.off(channel, handler);
      };
    },
    close: async () => {
      emitter.removeAllListeners();
    },
    listeners: async (channel) => emitter.listenerCount(channel),
    listenersOf: async (channels) => channels.map((channel) => emitter.listenerCount(channel)),
  };
}

/**
 * One publisher connection and one subscriber connection; a channel is subscribed while it has
 * handlers. Handlers in this process hear a publish at once (before it returns); other processes via
 * Redis, which skips the echo of our own messages.
 *
 * During a Redis outage the bus degrades instead of waiting: `publish` still reaches this process's
 * handlers and then rejects at once; `subscribe` registers the handler and resolves; when Redis is
 * back, every channel with handlers is subscribed again.
 */
export function redisBus(url: string, log?: RedisLog): EventBus {
  const origin = randomUUID();
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // Re-subscribing is ours (on 'ready'), so channels added or dropped during an outage come out right.
  const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, autoResubscribe: false });
  const publishing = watchRedis(publisher, 'event bus (publish)', log);
  const listening = watchRedis(subscriber, 'event bus (subscribe)', log);
  const handlers = new Map<string, Set<BusHandler>>();
  const subscribing = new Map<string, Promise<unknown>>();
  const deliver = (channel: string, payload: unknown, meta: BusMeta) =>
    auditAs(eventActor(channel), () => {
      for (const handler of handlers.get(channel) ?? []) handler(payload, meta);
    });
  subscriber.on('message', (channel: string, message: string) => {
    let envelope: { origin?: string; payload?: unknown; trace?: Record<string, string>; at?: number };
    try {
      envelope = JSON.parse(message);
    } catch {
      return;
    }
    if (envelope.origin === origin) return;
    // Handlers run in the publisher's trace (in this process they already do: they are called from publish).
    inConsumerSpan('bus receive', envelope.trace, { 'messaging.destination.name': channel }, () =>
      deliver(channel, envelope.payload, { publishedAt: typeof envelope.at === 'number' ? envelope.at : wallNow() }),
    );
  });
  // Every (re)connection subscribes every channel with handlers; a channel already subscribed is a no-op.
  subscriber.on('ready', () => {
    if (handlers.size > 0) subscriber.subscribe(...handlers.keys()).catch(() => {});
  });
  // While Redis is away the channel is subscribed when it comes back; any other failure is the caller's.
  const redisSubscribe = (channel: string) =>
    listening.down
      ? Promise.resolve()
      : subscriber.subscribe(channel).catch((error) => {
          if (!listening.down) throw error;
        });
  return {
    publish: async (channel, payload) => {
      const publishedAt = wallNow();
      deliver(channel, payload, { publishedAt });
      if (publishing.down) throw new Error(`Redis unavailable: ${channel} reached this process only`);
      await publisher.publish(channel, JSON.stringify({ origin, payload, trace: traceCarrier(), at: publishedAt }));
    },
    subscribe: async (channel, handler) => {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        subscribing.set(channel, redisSubscribe(channel));
      }
      set.add(handler);
      // Later handlers of a channel also return only once Redis has confirmed its subscription.
      try {
        await subscribing.get(channel);
      } catch (error) {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          subscribing.delete(channel);
        }
        throw error;
      }
      return async () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          subscribing.delete(channel);
          // During an outage there is nothing to undo: the channel is not re-subscribed.
          await subscriber.unsubscribe(channel).catch(() => {});
        }
      };
    },
    listeners: async (channel) => {
      if (publishing.down) return handlers.get(channel)?.size ?? 0;
      const [, n] = (await publisher.pubsub('NUMSUB', channel)) as [string, number];
      return Number(n);
    },
    listenersOf: async (channels) => {
      if (channels.length === 0) return [];
      if (publishing.down) return channels.map((channel) => handlers.get(channel)?.size ?? 0);
      const flat = (await publisher.pubsub('NUMSUB', ...channels)) as (string | number)[];
      return channels.map((_, i) => Number(flat[2 * i + 1]));
    },
    close: async () => {
      handlers.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

export const openBus = (env: NodeJS.ProcessEnv = process.env): EventBus => (env.REDIS_URL ? redisBus(env.REDIS_URL) : memoryBus());

/** PING → +PONG within a second: is a Redis server answering at `url`? (Tests and the bench that need one say so when not.) */
export async function redisAnswers(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tcp({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
