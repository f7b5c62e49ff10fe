import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { loggerFor, noteErrorCode } from './logger.js';
import { StartupError, shutdownGraceMs } from './shutdown.js';

const MAX_BODY_BYTES = 1_000_000;

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function toHeaderMap(headers: IncomingMessage['headers']): HeaderMap {
  const map = new HeaderMap();
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) map.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return map;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Turns a Node request into Apollo's transport-neutral request. */
export async function toGraphQLRequest(req: IncomingMessage): Promise<HTTPGraphQLRequest> {
  const headers = toHeaderMap(req.headers);
  const url = new URL(req.url ?? '/', 'http://localhost');
  let body: unknown;
  if (req.method === 'POST') {
    const text = await readBody(req);
    if ((headers.get('content-type') ?? '').includes('json') && text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new BodyError(400, 'Malformed JSON body');
      }
    } else {
      body = text;
    }
  }
  return { method: req.method ?? 'GET', headers, search: url.search, body };
}

export async function sendGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [key, value] of response.headers) res.setHeader(key, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function sendBodyError(res: ServerResponse, error: unknown): void {
  if (error instanceof BodyError) {
    noteErrorCode('BAD_REQUEST');
    sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  noteErrorCode('INTERNAL_SERVER_ERROR');
  loggerFor('http').error({ err: error }, 'request failed');
  sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

/** The JSON body of a complete response (in-process calls). */
export function responseJson(response: HTTPGraphQLResponse): unknown {
  if (response.body.kind !== 'complete') throw new Error('Incremental delivery is not used between router and subgraphs');
  return JSON.parse(response.body.string);
}

export type Listener = {
  listen(port: number, host?: string): Promise<Server>;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `graceMs`, then cuts the
   * remaining sockets) and resolves once every connection is gone. Keep-alive connections are closed
   * as soon as they are idle, so they cannot hold the process open.
   */
  close(graceMs?: number): Promise<void>;
};

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * One HTTP server for a request handler, created on `listen` (keep-alive longer than typical proxies').
 * `upgrade` takes WebSocket handshakes on the same port (the router's graphql-ws). Without a host it
 * binds loopback only, unless `HOST` says otherwise (e.g. `HOST=0.0.0.0` in a container).
 */
/**
 * A connection accepted just before a drain may carry a request its server has not read yet: it gets
 * this long to show it (and is answered with `Connection: close`) before it is treated as idle.
 */
const FRESH_CONNECTION_GRACE_MS = 5_000;

/**
 * A draining server still takes the connections the kernel already completed (its accept backlog),
 * until none has arrived for this long (at most ACCEPT_SETTLE_MAX_MS): they carry requests in flight.
 */
const ACCEPT_SETTLE_MS = 100;
const ACCEPT_SETTLE_MAX_MS = 2_000;

type SocketState = { requests: number; busy: boolean };

export function httpListener(handler: (req: IncomingMessage, res: ServerResponse) => void, upgrade?: UpgradeHandler): Listener {
  let server: Server | null = null;
  let closing: Promise<void> | null = null;
  const inFlight = new Set<ServerResponse>();
  // Per connection: served requests and whether one is under way. Node's closeIdleConnections would also
  // cut a just-accepted connection whose request is still unread (the client sees ECONNRESET).
  const sockets = new Map<Socket, SocketState>();
  let lastConnectionAt = 0;
  // A served connection ends after its last bytes are flushed (destroy would drop an answer still in the
  // socket's buffer); one that never carried a request has nothing to flush.
  const closeIdle = (freshToo: boolean) => {
    for (const [socket, state] of sockets) {
      if (state.busy) continue;
      if (state.requests > 0) socket.end();
      else if (freshToo) socket.destroy();
    }
  };
  const tracked = (req: IncomingMessage, res: ServerResponse) => {
    // A request that arrives on a kept-alive connection while draining is served, then its connection closed.
    if (closing) res.setHeader('connection', 'close');
    const state = sockets.get(req.socket as Socket);
    if (state) {
      state.requests += 1;
      state.busy = true;
    }
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (state) state.busy = false;
      if (closing) closeIdle(false);
    });
    handler(req, res);
  };
  return {
    listen: (port, host = process.env.HOST || '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const created = createServer({ keepAliveTimeout: 65_000 }, tracked);
        created.on('connection', (socket: Socket) => {
          lastConnectionAt = Date.now();
          sockets.set(socket, { requests: 0, busy: false });
          socket.once('close', () => sockets.delete(socket));
        });
        // An upgraded connection (graphql-ws) belongs to its WebSocket server from then on.
        created.on('upgrade', (req: IncomingMessage) => sockets.delete(req.socket as Socket));
        if (upgrade) created.on('upgrade', upgrade);
        server = created;
        const failed = (error: NodeJS.ErrnoException) =>
          reject(error.code === 'EADDRINUSE' ? new StartupError(`port ${port} on ${host} is already in use (PORT)`) : error);
        created.once('error', failed);
        created.listen(port, host, () => {
          created.off('error', failed);
          resolve(created);
        });
      }),
    close: (graceMs = shutdownGraceMs()) => {
      const current = server;
      if (!current) return Promise.resolve();
      closing ??= new Promise<void>((resolve) => {
        const cutOff = setTimeout(() => current.closeAllConnections(), graceMs);
        const fresh = setTimeout(() => closeIdle(true), Math.min(FRESH_CONNECTION_GRACE_MS, graceMs));
        // Connections the kernel completed but Node has not accepted yet would be reset when the listening
        // socket closes: let a busy event loop take them first. Then net.Server's close, not http.Server's:
        // the latter also cuts every idle connection at once, unread just-accepted ones included.
        const stopListening = () =>
          NetServer.prototype.close.call(current, () => {
            clearTimeout(cutOff);
            clearTimeout(fresh);
            resolve();
          });
        // Checked after a poll phase (setImmediate), when Node has taken whatever the kernel held.
        const settleUntil = Date.now() + Math.min(ACCEPT_SETTLE_MAX_MS, graceMs);
        const settle = () =>
          setImmediate(() => {
            const quiet = Date.now() - lastConnectionAt >= ACCEPT_SETTLE_MS;
            if (quiet || Date.now() >= settleUntil) stopListening();
            else setTimeout(settle, ACCEPT_SETTLE_MS);
          });
        setTimeout(settle, ACCEPT_SETTLE_MS);
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        closeIdle(false);
      });
      return closing;
    },
  };
}
