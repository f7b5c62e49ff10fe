import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServer } from '@apollo/server';
import type { EventBus } from '@dcrm/kit/bus.js';
import { API_KEY_REVOKED, SESSION_REVOKED } from '@dcrm/kit/events.js';
import { forgetOnCatalogChange, type KeptStats } from '@dcrm/kit/kept.js';
import type { Principal } from '@dcrm/kit/principal.js';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator } from './authenticate.js';
import type { RouterContext } from './context.js';
import { identifyConnection } from './subscriptions/connect.js';
import { type Connections, createConnections } from './subscriptions/connections.js';
import { createLookup } from './subscriptions/lookup.js';
import { createLookupCache } from './subscriptions/lookup-cache.js';
import { planSubscription } from './subscriptions/plan.js';
import { followAccountPriceLists, subscriptionView } from './subscriptions/pricing.js';
import { protocolHandlers } from './subscriptions/protocol.js';
import { createFanOut, openStream, type Streams } from './subscriptions/stream.js';
import { createTimings, type LiveTiming } from './subscriptions/timing.js';

const PATH = '/graphql';

/** Open sockets, subscriptions listening, and the event lookups run through the gateway (each shared by every subscriber in its view). */
export type LiveStats = {
  sockets: number;
  subscriptions: number;
  lookups: number;
  /** The catalog content public offers' lookups were answered from (lookup-cache.ts). */
  catalogCache?: KeptStats;
  /** Messages written, the process's CPU time and the latest events' breakdown (the live bench reads it). */
  timing?: LiveTiming;
};

export type SubscriptionServer = {
  /** The HTTP server's `upgrade` listener: graphql-ws on `/graphql`, everything else refused. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open sockets, and subscriptions listening on the bus (a subscription counts once its channel is subscribed). */
  stats(): LiveStats;
  /** Closes every socket (1001), ends every subscription and leaves the bus. */
  close(): Promise<void>;
};

export type SubscriptionDeps = {
  apollo: ApolloServer<RouterContext>;
  /** The schema view a subscriber's operations are checked against (null until the supergraph is loaded). */
  schema: (principal: Principal) => GraphQLSchema | null;
  auth: Authenticator;
  bus: EventBus;
  clientIp: (req: IncomingMessage) => string | null;
  /** The same limits as HTTP: depth, aliases, tokens. */
  validationRules: ValidationRule[];
  maxTokens: number;
  /** The most one operation may cost (see cost/calculate.ts), as for HTTP. */
  maxQueryCost: number;
  maxSubscriptionsPerSocket?: number;
  /** Counts the events sent (metrics): one, or a batch's count at once. */
  delivered?: (count?: number) => void;
};

/**
 * graphql-ws on the router's port. The gateway cannot execute subscriptions, so each one is rewritten
 * once into a lookup (`offer(id:)`, `bulkOperation(id:)`) with the same selection, and each event on the subscriber's bus channel runs
 * that query through the gateway as the subscriber — or, for public offers selecting context fields only,
 * once per pricing context (storefront, segments, negotiated list, tax display, language) as that
 * context without the subscriber's identity: every subgraph checks access as whom it runs for.
 * The parts are in subscriptions/: connect (who opens a socket), connections (open sockets and their
 * expiry), plan (a subscribe message checked and rewritten), view and pricing (whom an event is looked up
 * as, and who shares that lookup), lookup and stream (each event run and delivered).
 */
export function createSubscriptionServer(deps: SubscriptionDeps): SubscriptionServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1_000_000 });
  const connections = createConnections();
  const streams: Streams = new Set();
  const catalogCache = createLookupCache();
  const lookup = createLookup(deps.apollo, catalogCache);
  const timings = createTimings();
  const fanOut = createFanOut({ bus: deps.bus, timings, delivered: deps.delivered });
  let closing = false;
  const revocations = Promise.all([
    endRevokedSockets(deps.bus, connections),
    followAccountPriceLists(deps.bus, connections),
    forgetOnCatalogChange(deps.bus, catalogCache, 'subscriptions'),
  ]).then(([ending, following, changes]) => [...ending, following, changes]);

  const disposer = useServer<Record<string, unknown> | undefined>(
    protocolHandlers({
      connections,
      closing: () => closing,
      maxSubscriptions: deps.maxSubscriptionsPerSocket ?? 20,
      delivered: deps.delivered,
      identify: (socket, request, params) => identifyConnection(deps, socket, request, params),
      plan: (payload, principal) => planSubscription(payload, principal, deps),
      stream: async ({ id, plan, connection, observed }) => {
        const view = await subscriptionView(deps.apollo, plan, connection);
        return openStream(fanOut, streams, plan.channel, {
          socket: connection.socket,
          id,
          eventKey: plan.eventKey,
          lookup: (key, event) => lookup.run(plan, view(), key, observed.event, event),
          delivered: (result) => observed.delivered(result),
        });
      },
    }),
    wss,
  );

  return {
    upgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== PATH || closing) {
        socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    stats: () => ({
      sockets: wss.clients.size,
      subscriptions: streams.size,
      lookups: lookup.executions(),
      catalogCache: catalogCache.stats(),
      timing: timings.snapshot(),
    }),
    async close() {
      closing = true;
      await closeSockets(wss, () => disposer.dispose());
      await Promise.all([...streams].map((finish) => finish()));
      for (const off of await revocations) await off();
    },
  };
}

// Logout and key revocation end the sockets they opened, on every router.
function endRevokedSockets(bus: EventBus, connections: Connections): Promise<(() => Promise<void>)[]> {
  return Promise.all([
    bus.subscribe(SESSION_REVOKED, (payload) => {
      const sessionId = (payload as { sessionId?: string }).sessionId;
      if (sessionId) connections.endWhere((identity) => identity.sessionId === sessionId, 'Session ended');
    }),
    bus.subscribe(API_KEY_REVOKED, (payload) => {
      const keyId = (payload as { keyId?: string }).keyId;
      if (keyId) connections.endWhere((identity) => identity.keyId === keyId, 'API key revoked');
    }),
  ]);
}

/** Closes every socket (graphql-ws sends 1001) and waits until they are closed; clients that do not answer the close handshake are cut off. */
async function closeSockets(wss: WebSocketServer, dispose: () => void | Promise<void>): Promise<void> {
  const sockets = [...wss.clients];
  const closed = Promise.all(sockets.map((s) => (s.readyState === s.CLOSED ? null : new Promise((r) => s.once('close', r)))));
  await dispose();
  const timer = setTimeout(() => {
    for (const s of sockets) s.terminate();
  }, 2_000);
  await closed;
  clearTimeout(timer);
}
