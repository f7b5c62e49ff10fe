import type { AddressInfo } from 'node:net';
import { type Client, createClient, type ExecutionResult } from 'graphql-ws';
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import type { Stack } from '../../stack/src/stack.js';
import { startTestStack } from './stack.js';

export type Closed = { code: number; reason: string };

/** A graphql-ws client of the router (no retries, so a refusal is seen as it is) and how its socket ended. */
export type LiveClient = { client: Client; closed: Promise<Closed>; dispose(): Promise<void> };

export type LiveSubscription = {
  results: ExecutionResult<Record<string, any>>[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `check` holds (checked after every message); the test's own timeout bounds the wait. */
  until(check: () => boolean): Promise<void>;
  /** Ids delivered under `field` (e.g. `offerReceived`). */
  ids(field: string): string[];
  dispose(): void;
};

/** `headers` go on the upgrade request (e.g. `accept-language`), as a browser would send them. */
export function connectLive(url: string, connectionParams?: Record<string, string>, headers?: Record<string, string>): LiveClient {
  let resolveClosed: (c: Closed) => void = () => {};
  const closed = new Promise<Closed>((resolve) => {
    resolveClosed = resolve;
  });
  const client = createClient({
    url,
    webSocketImpl: headers
      ? class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers });
          }
        }
      : WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason) });
      },
    },
  });
  return { client, closed, dispose: () => client.dispose() as Promise<void> };
}

export function subscribeLive(live: LiveClient, query: string, variables?: Record<string, unknown>): LiveSubscription {
  const waiting = new Set<() => void>();
  const poke = () => {
    for (const wake of waiting) wake();
  };
  const sub: LiveSubscription = {
    results: [],
    errors: [],
    completed: false,
    async until(check) {
      while (!check()) {
        if (sub.completed) throw new Error(`subscription ended: ${JSON.stringify(sub.errors)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiting.delete(wake);
            resolve();
          };
          waiting.add(wake);
        });
      }
    },
    ids: (field) => sub.results.map((r) => r.data?.[field]?.id).filter((id): id is string => typeof id === 'string'),
    dispose: () => {},
  };
  sub.dispose = live.client.subscribe(
    { query, variables },
    {
      next: (result) => {
        sub.results.push(result as ExecutionResult<Record<string, any>>);
        poke();
      },
      error: (error) => {
        sub.errors.push(error);
        sub.completed = true;
        poke();
      },
      complete: () => {
        sub.completed = true;
        poke();
      },
    },
  );
  return sub;
}

/** The first error's `extensions.code` of a subscription refused at subscribe time. */
export const refusalCode = (sub: LiveSubscription) => {
  const first = sub.errors[0];
  return Array.isArray(first) ? (first[0] as { extensions?: { code?: string } })?.extensions?.code : undefined;
};

/** Polls until `check` holds (the test's timeout bounds it): for state only the server sees, like subscription counts. */
export async function eventually(check: () => boolean | Promise<boolean>, everyMs = 20): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, everyMs));
}

/** A file's test stack with its router listening on a free port, and the sockets its tests opened (closed before the stack stops). */
export type LiveStack = {
  readonly stack: Stack;
  /** Opens a socket that is closed after the file's tests. */
  connect(connectionParams?: Record<string, string>): LiveClient;
};

/** Starts a test stack listening for WebSockets before the file's tests (`beforeAll`), and stops it after them. */
export function liveStack(): LiveStack {
  let started: Stack | null = null;
  let url = '';
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    started = await startTestStack();
    const server = await started.router.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await started?.stop();
  });
  return {
    get stack() {
      if (!started) throw new Error('liveStack: the stack starts in beforeAll');
      return started;
    },
    connect(connectionParams) {
      const socket = connectLive(url, connectionParams);
      sockets.push(socket);
      return socket;
    },
  };
}
