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

export function readBody(req: IncomingMessage): Promise<string> {
  // Events, not `for await`: the async iterator's promise per chunk cost ~2 % of a router's CPU per request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Refused at once; the rest of the body is read and dropped (the 413 still reaches the client).
      chunks.length = 0;
      reject(new BodyError(413, 'Request body too large'));
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Turns a Node request into Apollo's transport-neutral request. */
export async function toGraphQLRequest(req: IncomingMessage): Promise<HTTPGraphQLRequest> {
  const headers = toHeaderMap(req.headers);
  const target = req.url ?? '/';
  const query = target.indexOf('?');
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
  return { method: req.method ?? 'GET', headers, search: query < 0 ? '' : target.slice(query), body };
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

export type Listener = {
  listen(port: number, host?: string): Promise<Server>;
  /**
   * Drains: `/readyz` answers 503 at once; the listening socket stays open while requests are in flight
   * and until no connection has arrived for a moment (what the kernel queued is served, not reset); every
   * answer from then on says `Connection: close`. In-flight requests get up to `graceMs`, then the remaining
   * sockets are cut. Resolves once every connection is gone.
   */
  close(graceMs?: number): Promise<void>;
};

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * A connection accepted just before or during a drain may carry a request its server has not read yet: it
 * gets this long to show it (and is answered with `Connection: close`) before it is treated as idle.
 */
const FRESH_CONNECTION_GRACE_MS = 5_000;

/**
 * A draining server keeps its listening socket until nothing is in flight and no connection has arrived
 * for this long: closing it earlier resets what the kernel completed but Node has not accepted yet (a
 * loaded event loop accepts late), and a client that picked this instance a moment ago would be refused.
 */
const ACCEPT_QUIET_MS = 100;
const SHORT_ITERATION_MS = 10;

type SocketState = { requests: number; busy: boolean; acceptedAt: number };

const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0];

/**
 * One HTTP server for a request handler, created on `listen` (keep-alive longer than typical proxies').
 * `upgrade` takes WebSocket handshakes on the same port (the router's graphql-ws). Without a host it
 * binds loopback only, unless `HOST` says otherwise (e.g. `HOST=0.0.0.0` in a container).
 */
export function httpListener(handler: (req: IncomingMessage, res: ServerResponse) => void, upgrade?: UpgradeHandler): Listener {
  let server: Server | null = null;
  let closing: Promise<void> | null = null;
  const inFlight = new Set<ServerResponse>();
  // Per connection: served requests and whether one is under way. Node's closeIdleConnections would also
  // cut a just-accepted connection whose request is still unread (the client sees ECONNRESET).
  const sockets = new Map<Socket, SocketState>();
  let lastConnectionAt = 0;
  // Draining and the listening socket closed: idle kept-alive connections end (until then they may still
  // bring a request, answered with `Connection: close`).
  let stopped = false;
  // A served connection ends after its last bytes are flushed (destroy would drop an answer still in the
  // socket's buffer); one that never carried a request has nothing to flush, once it is older than `freshMs`.
  const closeIdle = (freshMs = Number.POSITIVE_INFINITY) => {
    const now = Date.now();
    for (const [socket, state] of sockets) {
      if (state.busy) continue;
      if (state.requests > 0) {
        if (stopped) socket.end();
      } else if (now - state.acceptedAt >= freshMs) socket.destroy();
    }
  };
  const tracked = (req: IncomingMessage, res: ServerResponse) => {
    // While draining every request is served, then its connection closed; readiness says to send no more.
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
      if (closing) closeIdle();
    });
    if (closing && pathOf(req) === '/readyz') return sendJson(res, 503, { status: 'draining' });
    handler(req, res);
  };
  // A WebSocket opened now would only be closed again with the rest.
  const upgraded = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!closing) return upgrade?.(req, socket, head);
    socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  };
  return {
    listen: (port, host = process.env.HOST || '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const created = createServer({ keepAliveTimeout: 65_000 }, tracked);
        created.on('connection', (socket: Socket) => {
          lastConnectionAt = Date.now();
          sockets.set(socket, { requests: 0, busy: false, acceptedAt: lastConnectionAt });
          socket.once('close', () => sockets.delete(socket));
        });
        // An upgraded connection (graphql-ws) belongs to its WebSocket server from then on.
        created.on('upgrade', (req: IncomingMessage) => sockets.delete(req.socket as Socket));
        if (upgrade) created.on('upgrade', upgraded);
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
        // net.Server's close, not http.Server's: the latter also cuts every idle connection at once,
        // unread just-accepted ones included. Its callback runs once every connection is gone.
        const stopListening = () => {
          if (stopped) return;
          stopped = true;
          NetServer.prototype.close.call(current, () => {
            clearTimeout(cutOff);
            clearInterval(fresh);
            resolve();
          });
          closeIdle();
        };
        const cutOff = setTimeout(() => {
          stopListening();
          if (inFlight.size > 0) loggerFor('http').warn(`shutdown grace (${graceMs} ms) over: ${inFlight.size} requests cut`);
          current.closeAllConnections();
        }, graceMs);
        const freshMs = Math.min(FRESH_CONNECTION_GRACE_MS, graceMs);
        const fresh = setInterval(() => closeIdle(freshMs), Math.max(freshMs / 5, 1));
        // Checked after a poll phase (setImmediate), when Node has taken whatever the kernel held. That poll
        // phase may have run long callbacks after taking it (a loaded loop): one more iteration, which must be
        // short and take no new connection, before the listening socket goes.
        const idle = () => inFlight.size === 0 && Date.now() - lastConnectionAt >= ACCEPT_QUIET_MS;
        const settle = () =>
          setImmediate(() => {
            if (stopped) return;
            if (!idle()) return void setTimeout(settle, ACCEPT_QUIET_MS);
            const checkedAt = Date.now();
            setImmediate(() => {
              if (idle() && lastConnectionAt < checkedAt && Date.now() - checkedAt < SHORT_ITERATION_MS) stopListening();
              else setTimeout(settle, ACCEPT_QUIET_MS);
            });
          });
        setTimeout(settle, ACCEPT_QUIET_MS);
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      });
      return closing;
    },
  };
}
