import type { EventBus } from '@dcrm/kit/bus.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import type { FormattedExecutionResult } from 'graphql-ws';

/** Events waiting for a slow subscriber beyond this are dropped (the bus is at-most-once anyway). */
const MAX_PENDING_EVENTS = 100;

const INTERNAL_ERROR = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

/** The open streams, each by the function that ends it: their count is the live subscriptions, and closing ends them all. */
export type Streams = Set<() => Promise<void>>;

export type StreamDeps = {
  bus: EventBus;
  streams: Streams;
  /** What an event for this key (offer, bulk operation) delivers to this subscriber (`null`: nothing). */
  lookup: (key: string) => Promise<FormattedExecutionResult | null>;
  /** The event payload's property holding that key (default `offerId`). */
  eventKey?: string;
};

/** The event stream of one subscription: listens on its channel while it is open, delivers in arrival order. */
export async function openStream(
  channel: string,
  deps: StreamDeps,
): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> {
  const results = resultQueue(() => finish());
  const onEvent = (payload: unknown) => {
    const key = (payload as Record<string, unknown> | null)?.[deps.eventKey ?? 'offerId'];
    if (!results.accepting() || typeof key !== 'string') return;
    results.push(
      deps.lookup(key).catch((error: unknown) => {
        loggerFor('subscriptions').error({ err: error }, 'subscription lookup failed');
        return { data: null, errors: [INTERNAL_ERROR] };
      }),
    );
  };
  let off: () => Promise<void>;
  try {
    off = await deps.bus.subscribe(channel, onEvent);
  } catch (error) {
    loggerFor('subscriptions').error({ err: error }, 'subscription could not listen on the bus');
    return { errors: [INTERNAL_ERROR] };
  }
  let finished: Promise<void> | null = null;
  const finish = (): Promise<void> => {
    finished ??= (async () => {
      results.close();
      deps.streams.delete(finish);
      await off();
    })();
    return finished;
  };
  deps.streams.add(finish);
  return results.iterator;
}

/** Pending results handed out in order; `close` ends the iterator (waking a reader that waits), and `return` calls `onReturn`. */
function resultQueue(onReturn: () => Promise<void>) {
  const queue: Promise<FormattedExecutionResult | null>[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const iterator: AsyncIterableIterator<FormattedExecutionResult> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      while (!done) {
        const head = queue.shift();
        if (head) {
          const result = await head;
          if (result && !done) return { value: result, done: false };
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      return { value: undefined, done: true };
    },
    async return() {
      await onReturn();
      return { value: undefined, done: true };
    },
  };
  return {
    iterator,
    accepting: () => !done && queue.length < MAX_PENDING_EVENTS,
    push(result: Promise<FormattedExecutionResult | null>) {
      queue.push(result);
      wake?.();
    },
    close() {
      done = true;
      wake?.();
    },
  };
}
