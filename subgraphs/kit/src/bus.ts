import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect as tcp } from 'node:net';
import { Redis } from 'ioredis';

export type BusHandler = (payload: unknown) => void;

/**
 * Fan-out of small notifications between processes (key revoked, offer published). Redis pub/sub
 * when REDIS_URL is set; in one process otherwise. Delivery is at-most-once: durable facts go
 * through each subgraph's outbox.
 */
export type EventBus = {
  publish(channel: string, payload: unknown): Promise<void>;
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export function memoryBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: async (channel, payload) => {
      emitter.emit(channel, payload);
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
  };
}

/**
 * One publisher connection and one subscriber connection; a channel is subscribed while it has
 * handlers. Handlers in this process hear a publish at once (before it returns); other processes via
 * Redis, which skips the echo of our own messages.
 */
export function redisBus(url: string): EventBus {
  const origin = randomUUID();
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url, { lazyConnect: true });
  // ioredis reconnects by itself; without a listener each failed attempt is an "Unhandled error event".
  let closed = false;
  let warned = false;
  const onError = (error: Error) => {
    if (!closed && !warned) console.warn(`[dcrm] event bus: Redis unavailable, retrying (${error.message})`);
    warned = true;
  };
  for (const client of [publisher, subscriber]) {
    client.on('error', onError);
    client.on('ready', () => {
      warned = false;
    });
  }
  const handlers = new Map<string, Set<BusHandler>>();
  const subscribing = new Map<string, Promise<unknown>>();
  const deliver = (channel: string, payload: unknown) => {
    for (const handler of handlers.get(channel) ?? []) handler(payload);
  };
  subscriber.on('message', (channel: string, message: string) => {
    let envelope: { origin?: string; payload?: unknown };
    try {
      envelope = JSON.parse(message);
    } catch {
      return;
    }
    if (envelope.origin !== origin) deliver(channel, envelope.payload);
  });
  return {
    publish: async (channel, payload) => {
      deliver(channel, payload);
      await publisher.publish(channel, JSON.stringify({ origin, payload }));
    },
    subscribe: async (channel, handler) => {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        subscribing.set(channel, subscriber.subscribe(channel));
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
          await subscriber.unsubscribe(channel);
        }
      };
    },
    close: async () => {
      closed = true;
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
