import type { BusMeta, EventBus } from '@dcrm/kit/bus.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import type { FormattedExecutionResult } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { type Framed, framedText, sendFramed } from './frames.js';
import { type Timings, wallNow } from './timing.js';

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
   * return the same promise share its result and its serialisation (lookup.ts). `event`: the payload.
   */
  lookup(key: string, event: unknown): Promise<Result>;
  /** A result was written to its socket (the subscription's end line; the metric counts per batch: `FanOutDeps.delivered`). */
  delivered(result: FormattedExecutionResult): void;
};

type Member = Listener & { head: string };
/** One event's breakdown so far (timing.ts). */
type Trace = { lookedUpAt: number; writtenAt: number; deliveries: number; payloads: number; writeCpuMicros: number };
type Channel = { members: Set<Member>; tail: Promise<void>; pending: number; listening: Promise<() => Promise<void>> };

/**
 * The router's bus channels with their listening subscriptions: one bus handler per channel. On each
 * event every listener's lookup starts at once; each distinct result is serialised once and written to
 * all the sockets that share it as a graphql-ws `next` message, without a per-subscriber await. Events
 * of a channel are delivered in arrival order.
 */
export type FanOut = { listen(channel: string, listener: Listener): Promise<() => Promise<void>> };

export type FanOutDeps = {
  bus: EventBus;
  timings: Timings;
  /** Messages written (metrics), counted once per batch rather than once per socket. */
  delivered?: (count: number) => void;
};

export function createFanOut(deps: FanOutDeps): FanOut {
  const channels = new Map<string, Channel>();

  const onEvent = (name: string, channel: Channel) => (payload: unknown, meta?: BusMeta) => {
    if (channel.pending >= MAX_PENDING_EVENTS) return;
    const receivedAt = wallNow();
    const batches = new Map<Promise<Result>, Member[]>();
    let eventKey: string | undefined;
    for (const member of channel.members) {
      const key = (payload as Record<string, unknown> | null)?.[member.eventKey];
      if (typeof key !== 'string') continue;
      eventKey ??= key;
      const result = member.lookup(key, payload);
      const batch = batches.get(result);
      if (batch) batch.push(member);
      else batches.set(result, [member]);
    }
    if (batches.size === 0) return;
    const trace: Trace = { lookedUpAt: receivedAt, writtenAt: receivedAt, deliveries: 0, payloads: 0, writeCpuMicros: 0 };
    // Each batch is written as soon as both its result and the channel's previous event are: a slow
    // lookup holds back only its own subscribers, and every subscriber still gets events in order.
    const previous = channel.tail;
    const written = [...batches].map(async ([result, members]) => {
      const settled = await result.catch(failed);
      trace.lookedUpAt = Math.max(trace.lookedUpAt, wallNow());
      await previous;
      const cpu = process.cpuUsage();
      const sent = write(channel, settled, members);
      const spent = process.cpuUsage(cpu);
      trace.writeCpuMicros += spent.user + spent.system;
      trace.writtenAt = wallNow();
      if (sent > 0) {
        trace.deliveries += sent;
        trace.payloads++;
        deps.delivered?.(sent);
      }
    });
    channel.pending++;
    channel.tail = Promise.all(written).then(
      () => deps.timings.record({ channel: name, key: eventKey as string, publishedAt: meta?.publishedAt ?? null, receivedAt, ...trace }),
      () => {},
    );
    void channel.tail.finally(() => channel.pending--);
  };

  const open = (name: string): Channel => {
    const channel: Channel = { members: new Set(), tail: Promise.resolve(), pending: 0, listening: Promise.resolve(async () => {}) };
    channel.listening = deps.bus.subscribe(name, onEvent(name, channel));
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

/**
 * Writes one result to its subscribers' sockets, and says how many it was written to. Serialised once,
 * and encoded and framed once per subscription id: subscribers whose clients numbered the subscription
 * alike (most do) get the very same frame bytes (frames.ts), where a string per subscriber was built,
 * UTF-8 encoded and framed per socket.
 */
function write(channel: Channel, result: Result, members: Member[]): number {
  if (!result) return 0;
  const json = JSON.stringify(result);
  const messages = new Map<string, Framed>();
  let sent = 0;
  for (const member of members) {
    const { socket } = member;
    // Left meanwhile, closing, or not reading: nothing for it.
    if (!channel.members.has(member) || socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) continue;
    let message = messages.get(member.head);
    if (!message) {
      message = framedText(`${member.head}${json}}`);
      messages.set(member.head, message);
    }
    sendFramed(socket, message);
    member.delivered(result);
    sent++;
  }
  return sent;
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
