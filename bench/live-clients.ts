import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

/**
 * The live bench's subscribers: graphql-ws clients, each with its personal and its storefront
 * subscription, run in this process or spread over worker threads (`--live-workers`). A thousand clients
 * in one event loop handle the thousand messages of a public offer one after another, so the last one's
 * receive time carries the client's own parsing of the 999 before it; over workers they are handled
 * side by side, as a thousand devices would. Each runner reports its event-loop delay (p99) per phase.
 */
export type ClientSpec = { customerId: string; router: string; token: string };

/** What a runner tells the bench: a message received (wall ms), a line worth printing, an error to count. */
export type ClientNote =
  | { kind: 'received'; customerId: string; title: string; at: number }
  | { kind: 'log'; line: string }
  | { kind: 'error'; what: 'subscription' | 'closed' };

export type ClientRunner = {
  /** Every client connected and acknowledged (its subscriptions sent). */
  ready: Promise<void>;
  /** Starts a fresh event-loop delay histogram (a phase begins). */
  resetDelay(): void;
  /** The event-loop delay's p99 and max since the last reset, ms. */
  delay(): Promise<{ p99: number; max: number }>;
  stop(): Promise<void>;
};

const SELECTION = 'id title product { name }';
/** The subscriptions each client opens, by the graphql-ws id it gives them. */
const SUBSCRIPTIONS: Record<string, string> = { '1': 'offerReceived', '2': 'storefrontOffers' };
const CONNECT_WAVE = 100;
/** Notes from a worker go to the bench in batches this often, not one message per receipt. */
const FLUSH_MS = 5;

/** Wall-clock ms: the routers' event timings use the same clock. */
const wall = () => performance.timeOrigin + performance.now();

/** Runs `specs` in this thread, telling `note` as things happen. */
export function runClients(specs: ClientSpec[], note: (n: ClientNote) => void): ClientRunner {
  let stopping = false;
  let histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const sockets: WebSocket[] = [];
  // Sockets open in waves of CONNECT_WAVE, each acknowledged before the next: a thousand
  // connection_init messages at once would measure a connection storm (and trip the 3 s init timeout).
  const open = (spec: ClientSpec) =>
    new Promise<void>((acknowledged) => {
      const socket = subscriber(spec, {
        acknowledged,
        received: (title, at) => note({ kind: 'received', customerId: spec.customerId, title, at }),
        failed: (what, line) => {
          if (stopping) return;
          note({ kind: 'error', what });
          note({ kind: 'log', line });
        },
      });
      sockets.push(socket);
    });
  const ready = (async () => {
    for (let at = 0; at < specs.length; at += CONNECT_WAVE) await Promise.all(specs.slice(at, at + CONNECT_WAVE).map(open));
  })();
  return {
    ready,
    resetDelay() {
      histogram.disable();
      histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
    },
    delay: async () => ({ p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 }),
    async stop() {
      stopping = true;
      histogram.disable();
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((closed) => {
              if (socket.readyState === WebSocket.CLOSED) return closed();
              socket.once('close', () => closed());
              socket.close(1000, 'Normal Closure');
            }),
        ),
      );
    },
  };
}

type Events = {
  acknowledged: () => void;
  received: (title: string, at: number) => void;
  failed: (what: 'subscription' | 'closed', line: string) => void;
};

/**
 * One subscriber: a WebSocket speaking graphql-ws (`graphql-transport-ws`) itself — init, the two
 * subscriptions, pong — with no client library in between. The receive time is taken as the message
 * arrives, before it is parsed; each message costs one `JSON.parse` and nothing else, so a thousand of
 * them on two threads take as little as they can of the CPU the routers share (graphql-ws's client
 * validated, wrapped and dispatched every message: 80 µs of CPU per message against 45 µs for this one,
 * in one loaded pair on a 2-core machine).
 */
function subscriber(spec: ClientSpec, on: Events): WebSocket {
  const socket = new WebSocket(`${spec.router.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const seen = new Set<string>();
  let open = false;
  socket.on('open', () => {
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${spec.token}` } }));
  });
  socket.on('message', (data) => {
    const at = wall();
    const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: unknown };
    const field = SUBSCRIPTIONS[message.id ?? ''];
    if (message.type === 'next' && field) {
      const result = message.payload as { data?: Record<string, { title?: unknown } | null> | null; errors?: unknown[] };
      if (result.errors?.length)
        on.failed('subscription', `live: ${field} delivered errors: ${JSON.stringify(result.errors).slice(0, 300)}`);
      const title = result.data?.[field]?.title;
      if (typeof title === 'string' && !seen.has(title)) {
        seen.add(title);
        on.received(title, at);
      }
    } else if (message.type === 'connection_ack') {
      open = true;
      for (const [id, name] of Object.entries(SUBSCRIPTIONS)) {
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: `subscription { ${name} { ${SELECTION} } }` } }));
      }
      on.acknowledged();
    } else if (message.type === 'ping') {
      socket.send('{"type":"pong"}');
    } else if (message.type === 'error' || message.type === 'complete') {
      on.failed('subscription', `live: ${field ?? message.id} ${message.type}: ${JSON.stringify(message.payload ?? null).slice(0, 300)}`);
    }
  });
  socket.on('error', () => {});
  socket.on('close', (code, reason) => {
    on.acknowledged();
    on.failed('closed', `live: socket closed: ${code} ${reason}${open ? '' : ' (before connection_ack)'}`);
  });
  return socket;
}

type ToWorker = { kind: 'reset' } | { kind: 'delay' } | { kind: 'stop' };
type FromWorker =
  | { kind: 'notes'; notes: ClientNote[] }
  | { kind: 'ready' }
  | { kind: 'delay'; p99: number; max: number }
  | { kind: 'stopped' };

/** Runs `specs` in a worker thread of its own; notes arrive in batches (their times are the worker's receive times). */
export function workerClients(specs: ClientSpec[], note: (n: ClientNote) => void): ClientRunner {
  const worker = new Worker(new URL(import.meta.url), { workerData: { liveClients: specs } });
  const waiting = new Map<FromWorker['kind'], (m: FromWorker) => void>();
  const next = (kind: FromWorker['kind']) => new Promise<FromWorker>((resolve) => waiting.set(kind, resolve));
  const ready = next('ready').then(() => {});
  worker.on('message', (m: FromWorker) => {
    if (m.kind === 'notes') for (const n of m.notes) note(n);
    else waiting.get(m.kind)?.(m);
  });
  worker.on('error', (error) => note({ kind: 'log', line: `live: client worker failed: ${error.message}` }));
  const send = (m: ToWorker) => worker.postMessage(m);
  return {
    ready,
    resetDelay: () => send({ kind: 'reset' }),
    async delay() {
      const answer = next('delay');
      send({ kind: 'delay' });
      const { p99, max } = (await answer) as { p99: number; max: number };
      return { p99, max };
    },
    async stop() {
      const stopped = next('stopped');
      send({ kind: 'stop' });
      await stopped;
      await worker.terminate();
    },
  };
}

// Inside a worker: run the clients handed over, batch the notes, answer the bench's requests.
if (!isMainThread && parentPort && (workerData as { liveClients?: ClientSpec[] } | null)?.liveClients) {
  const port = parentPort;
  let notes: ClientNote[] = [];
  const flush = () => {
    if (notes.length) port.postMessage({ kind: 'notes', notes } satisfies FromWorker);
    notes = [];
  };
  const timer = setInterval(flush, FLUSH_MS);
  const runner = runClients((workerData as { liveClients: ClientSpec[] }).liveClients, (n) => notes.push(n));
  void runner.ready.then(() => {
    flush();
    port.postMessage({ kind: 'ready' } satisfies FromWorker);
  });
  port.on('message', async (m: ToWorker) => {
    if (m.kind === 'reset') runner.resetDelay();
    else if (m.kind === 'delay') port.postMessage({ kind: 'delay', ...(await runner.delay()) } satisfies FromWorker);
    else {
      await runner.stop();
      flush();
      clearInterval(timer);
      port.postMessage({ kind: 'stopped' } satisfies FromWorker);
    }
  });
}
