import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Identity } from '../authenticate.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One open socket: who opened it, its subscription ids, the timer that ends it when the access token
 * expires, and its customer's negotiated price list once a subscription needed it (pricing.ts).
 */
export type Connection = {
  socket: WebSocket;
  identity: Identity;
  operations: Set<string>;
  timer: NodeJS.Timeout | null;
  accountPricing?: AccountPricing;
};

/** The negotiated price list's id (null: none; undefined: not known yet, or the lookup failed at `failedAt`) and its lookup. */
export type AccountPricing = { priceListId: string | null | undefined; ready: Promise<unknown>; failedAt?: number };

export type Connections = {
  open(socket: WebSocket, identity: Identity): Connection;
  get(socket: WebSocket): Connection | undefined;
  /** The socket closed: forget it and its expiry timer. */
  forget(socket: WebSocket): void;
  /** Closes (4401) every socket whose identity matches, e.g. the sessions a logout ended. */
  endWhere(matches: (identity: Identity) => boolean, reason: string): void;
  /** The open connections whose identity matches. */
  where(matches: (identity: Identity) => boolean): Connection[];
};

/** The open sockets of one router, each with its expiry timer armed. */
export function createConnections(): Connections {
  const connections = new Map<WebSocket, Connection>();
  return {
    open(socket, identity) {
      const connection: Connection = { socket, identity, operations: new Set(), timer: null };
      connections.set(socket, connection);
      armExpiry(connection);
      return connection;
    },
    get: (socket) => connections.get(socket),
    forget(socket) {
      const connection = connections.get(socket);
      if (connection?.timer) clearTimeout(connection.timer);
      connections.delete(socket);
    },
    endWhere(matches, reason) {
      for (const c of connections.values()) if (matches(c.identity)) end(c, CloseCode.Unauthorized, reason);
    },
    where: (matches) => [...connections.values()].filter((c) => matches(c.identity)),
  };
}

function end(connection: Connection, code: number, reason: string) {
  if (connection.timer) clearTimeout(connection.timer);
  connection.timer = null;
  connection.socket.close(code, reason);
}

// A customer's socket lives as long as their access token, not longer.
function armExpiry(connection: Connection) {
  const at = connection.identity.expiresAt;
  if (!at) return;
  connection.timer = setTimeout(
    () => (Date.now() >= at ? end(connection, CloseCode.Unauthorized, 'Access token expired') : armExpiry(connection)),
    Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS),
  );
  connection.timer.unref();
}
