import type { EventBus } from '@dcrm/kit/bus.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import type { FormattedExecutionResult } from 'graphql-ws';
import type { WebSocket } from 'ws';

/** Events waiting on a channel beyond this are dropped (the bus is at-most-once anyway). */
const MAX_PENDING_EVENTS = 100;
/** A socket with this much still unsent skips an event rather than queueing without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

const INTERNAL_ERROR = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

type Result = FormattedExecutionResult | null;

/** The open streams, each by the function that ends it: their count is the live subscriptions, and closing ends them all. */
export type Streams = Set<() => Promise<void>>;

/** One subscription listening on a channel: where its results go, and what an event is for it. */
export type Listener = {
  socket: WebSocket;
  /** The graphql-ws subscription id its results are sent under. */
  id: string;
  /** The event payload's property holding the key to look up (`offerId`, `operationId`). */
  eventKey: string;
  /**
   * What an event for this key delivers to this subscriber (`null`: nothing). Listeners whose lookups
   * return the same promise share its result and its serialisation (lookup.ts).
   */
  lookup(key: string): Promise<Result>;
  /** A result was written to its socket (metrics, the subscription's end line). */
  delivered(result: FormattedExecutionResult): void;
};

type Member = Listener & { head: string };
type Channel = { members: Set<Member>; tail: Promise<void>; pending: number; listening: Promise<() => Promise<void>> };

/**
 * The router's bus channels with their listening subscriptions: one bus handler per channel. On each
 * event every listener's lookup starts at once; each distinct result is serialised once and written to
 * all the sockets that share it as a graphql-ws `next` message, without a per-subscriber await. Events
 * of a channel are delivered in arrival order.
 */
export type FanOut = { listen(channel: string, listener: Listener): Promise<() => Promise<void>> };

export function createFanOut(bus: EventBus): FanOut {
  const channels = new Map<string, Channel>();

  const onEvent = (channel: Channel) => (payload: unknown) => {
    if (channel.pending >= MAX_PENDING_EVENTS) return;
    const batches = new Map<Promise<Result>, Member[]>();
    for (const member of channel.members) {
      const key = (payload as Record<string, unknown> | null)?.[member.eventKey];
      if (typeof key !== 'string') continue;
      const result = member.lookup(key);
      const batch = batches.get(result);
      if (batch) batch.push(member);
      else batches.set(result, [member]);
    }
    if (batches.size === 0) return;
    // Each batch is written as soon as both its result and the channel's previous event are: a slow
    // lookup holds back only its own subscribers, and every subscriber still gets events in order.
    const previous = channel.tail;
    const written = [...batches].map(async ([result, members]) => {
      const settled = await result.catch(failed);
      await previous;
      write(channel, settled, members);
    });
    channel.pending++;
    channel.tail = Promise.all(written).then(
      () => {},
      () => {},
    );
    void channel.tail.finally(() => channel.pending--);
  };

  const open = (name: string): Channel => {
    const channel: Channel = { members: new Set(), tail: Promise.resolve(), pending: 0, listening: Promise.resolve(async () => {}) };
    channel.listening = bus.subscribe(name, onEvent(channel));
    channels.set(name, channel);
    return channel;
  };

  return {
    async listen(name, listener) {
      const channel = channels.get(name) ?? open(name);
      const member: Member = { ...listener, head: `{"id":${JSON.stringify(listener.id)},"type":"next","payload":` };
      channel.members.add(member);
      const leave = async () => {
        if (!channel.members.delete(member) || channel.members.size > 0 || channels.get(name) !== channel) return;
        channels.delete(name);
        await (await channel.listening)();
      };
      try {
        await channel.listening;
      } catch (error) {
        await leave().catch(() => {});
        throw error;
      }
      return leave;
    },
  };
}

function failed(error: unknown): Result {
  loggerFor('subscriptions').error({ err: error }, 'subscription lookup failed');
  return { data: null, errors: [INTERNAL_ERROR] };
}

function write(channel: Channel, result: Result, members: Member[]): void {
  if (!result) return;
  const json = JSON.stringify(result);
  for (const member of members) {
    const { socket } = member;
    // Left meanwhile, closing, or not reading: nothing for it.
    if (!channel.members.has(member) || socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) continue;
    socket.send(`${member.head}${json}}`);
    member.delivered(result);
  }
}

/**
 * The stream of one subscription: it listens on its channel while open, its results written by the
 * fan-out; the iterator graphql-ws holds yields nothing and ends when the subscription does.
 */
export async function openStream(
  fanOut: FanOut,
  streams: Streams,
  channel: string,
  listener: Listener,
): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> {
  let leave: () => Promise<void>;
  try {
    leave = await fanOut.listen(channel, listener);
  } catch (error) {
    loggerFor('subscriptions').error({ err: error }, 'subscription could not listen on the bus');
    return { errors: [INTERNAL_ERROR] };
  }
  let ended: () => void = () => {};
  const end = new Promise<IteratorResult<FormattedExecutionResult>>((resolve) => {
    ended = () => resolve({ value: undefined, done: true });
  });
  let finished: Promise<void> | null = null;
  const finish = (): Promise<void> => {
    finished ??= (async () => {
      ended();
      streams.delete(finish);
      await leave();
    })();
    return finished;
  };
  streams.add(finish);
  const iterator: AsyncIterableIterator<FormattedExecutionResult> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => end,
    async return() {
      await finish();
      return { value: undefined, done: true };
    },
  };
  return iterator;
}
