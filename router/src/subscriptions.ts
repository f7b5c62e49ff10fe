import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import { API_KEY_REVOKED, SESSION_REVOKED } from '@dcrm/customer';
import { type EventBus, type OfferPublished, offerChannels, type Principal, screenOperation } from '@dcrm/kit';
import {
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  OperationTypeNode,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import { CloseCode, type Context, type FormattedExecutionResult, type SubscribePayload } from 'graphql-ws';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Authenticator, Identity } from './authenticate.js';
import { queryCost } from './cost/calculate.js';
import type { RouterContext } from './context.js';
import { lookupQuery, OFFER_VARIABLE } from './offer-lookup.js';

const PATH = '/graphql';
/** Events waiting for a slow subscriber beyond this are dropped (the bus is at-most-once anyway). */
const MAX_PENDING_EVENTS = 100;
const MAX_TIMER_MS = 2 ** 31 - 1;
// A lookup answering only these means "not for this subscriber": nothing is delivered.
const NOT_VISIBLE = new Set(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);

export type LiveStats = { sockets: number; subscriptions: number };

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
  /** The gateway's API schema (null until the supergraph is loaded). */
  schema: () => GraphQLSchema | null;
  auth: Authenticator;
  bus: EventBus;
  clientIp: (req: IncomingMessage) => string | null;
  /** The same limits as HTTP: depth, aliases, tokens. */
  validationRules: ValidationRule[];
  maxTokens: number;
  /** The most one operation may cost (see cost/calculate.ts), as for HTTP. */
  maxQueryCost: number;
  maxSubscriptionsPerSocket?: number;
};

/** What a subscription became at subscribe time: one lookup query, run for each event on its channel. */
type Plan = {
  channel: string;
  /** `query($__offerId: ID!, …) { <responseKey>: offer(id: $__offerId) { …selection… } }`, the same text for every event. */
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  responseKey: string;
};

type Connection = { socket: WebSocket; identity: Identity; operations: Set<string>; timer: NodeJS.Timeout | null };
type Live = { plan: Plan; connection: Connection };

const codeOf = (error: unknown) => (error instanceof GraphQLError ? error.extensions.code : undefined);
const failure = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });

/**
 * graphql-ws on the router's port. The gateway cannot execute subscriptions, so each one is rewritten
 * once into `offer(id:)` with the same selection, and each event on the subscriber's bus channel runs
 * that query through the gateway as the subscriber: every subgraph checks access per subscriber.
 */
export function createSubscriptionServer(deps: SubscriptionDeps): SubscriptionServer {
  const maxSubscriptions = deps.maxSubscriptionsPerSocket ?? 20;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1_000_000 });
  const connections = new Map<WebSocket, Connection>();
  const streams = new Set<() => Promise<void>>();
  let closing = false;

  const end = (connection: Connection, code: number, reason: string) => {
    if (connection.timer) clearTimeout(connection.timer);
    connection.timer = null;
    connection.socket.close(code, reason);
  };

  // A customer's socket lives as long as their access token, not longer.
  const armExpiry = (connection: Connection) => {
    const at = connection.identity.expiresAt;
    if (!at) return;
    connection.timer = setTimeout(
      () => (Date.now() >= at ? end(connection, CloseCode.Unauthorized, 'Access token expired') : armExpiry(connection)),
      Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS),
    );
    connection.timer.unref();
  };

  // Logout and key revocation end the sockets they opened, on every router.
  const revocations = Promise.all([
    deps.bus.subscribe(SESSION_REVOKED, (payload) => {
      const sessionId = (payload as { sessionId?: string }).sessionId;
      for (const c of connections.values())
        if (sessionId && c.identity.sessionId === sessionId) end(c, CloseCode.Unauthorized, 'Session ended');
    }),
    deps.bus.subscribe(API_KEY_REVOKED, (payload) => {
      const keyId = (payload as { keyId?: string }).keyId;
      for (const c of connections.values()) if (keyId && c.identity.keyId === keyId) end(c, CloseCode.Unauthorized, 'API key revoked');
    }),
  ]);

  // Subscribers of one channel with the same principal and operation share one lookup per event.
  const inFlight = new Map<string, Promise<FormattedExecutionResult | null>>();
  const lookup = (plan: Plan, principal: Principal, offerId: string): Promise<FormattedExecutionResult | null> => {
    const { clientIp: _ip, ...who } = principal;
    const key = JSON.stringify([offerId, who, plan.query, plan.operationName, plan.variables]);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = runLookup(plan, principal, offerId).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };

  const runLookup = async (plan: Plan, principal: Principal, offerId: string): Promise<FormattedExecutionResult | null> => {
    const response = await deps.apollo.executeOperation(
      { query: plan.query, operationName: plan.operationName, variables: { ...plan.variables, [OFFER_VARIABLE]: offerId } },
      { contextValue: { principal } },
    );
    if (response.body.kind !== 'single') return null;
    const { data, errors } = response.body.singleResult;
    const offer = data?.[plan.responseKey];
    if (offer === null || offer === undefined) {
      // Not this subscriber's offer (or gone): nothing to deliver. Other failures are reported, masked.
      const reportable = (errors ?? []).filter((e) => !NOT_VISIBLE.has(String(e.extensions?.code)));
      return reportable.length > 0 ? { data: null, errors: reportable } : null;
    }
    return errors?.length ? { data: { [plan.responseKey]: offer }, errors } : { data: { [plan.responseKey]: offer } };
  };

  /** The event stream of one subscription: listens on its channel while it is open, delivers in arrival order. */
  const stream = async (live: Live): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> => {
    const queue: Promise<FormattedExecutionResult | null>[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const onEvent = (payload: unknown) => {
      const offerId = (payload as Partial<OfferPublished> | null)?.offerId;
      if (done || typeof offerId !== 'string' || queue.length >= MAX_PENDING_EVENTS) return;
      const result = lookup(live.plan, live.connection.identity.principal, offerId).catch((error: unknown) => {
        console.error('[dcrm] subscription lookup failed', error);
        return { data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
      });
      queue.push(result);
      wake?.();
    };
    let off: () => Promise<void>;
    try {
      off = await deps.bus.subscribe(live.plan.channel, onEvent);
    } catch (error) {
      console.error('[dcrm] subscription could not listen on the bus', error);
      return { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
    }
    let finished: Promise<void> | null = null;
    const finish = () => {
      finished ??= (async () => {
        done = true;
        streams.delete(finish);
        wake?.();
        await off();
      })();
      return finished;
    };
    streams.add(finish);
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
        await finish();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  };

  const prepare = (
    payload: SubscribePayload,
    principal: Principal,
  ): { plan: Plan; document: DocumentNode; schema: GraphQLSchema } | GraphQLError[] => {
    const schema = deps.schema();
    if (!schema) return [failure('INTERNAL_SERVER_ERROR', 'The schema is not loaded yet; try again')];
    const screened = screenOperation({ query: payload.query, variables: payload.variables, extensions: payload.extensions });
    if (screened) return [new GraphQLError(screened.message, { extensions: { code: screened.extensions.code } })];
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: deps.maxTokens });
    } catch (error) {
      return [failure('GRAPHQL_PARSE_FAILED', error instanceof GraphQLError ? error.message : 'Syntax error')];
    }
    const invalid = validate(schema, document, [...specifiedRules, ...deps.validationRules]);
    if (invalid.length > 0)
      return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (!operation) return [failure('BAD_REQUEST', 'Unable to identify the operation: send operationName')];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [failure('BAD_REQUEST', 'This socket serves subscriptions; send queries and mutations with POST /graphql')];
    }
    const [field, ...more] = operation.selectionSet.selections;
    if (more.length > 0 || field?.kind !== Kind.FIELD || field.directives?.length || !field.selectionSet) {
      return [failure('BAD_REQUEST', 'A subscription selects exactly one field, offerReceived or storefrontOffers, without directives')];
    }
    let channel: string;
    if (field.name.value === 'offerReceived') {
      if (principal.kind !== 'customer' || !principal.id) {
        return principal.kind === 'anonymous'
          ? [failure('UNAUTHENTICATED', 'Sign in as a customer to receive personal offers')]
          : [failure('FORBIDDEN', 'Personal offers are for the signed-in customer')];
      }
      channel = offerChannels.customer(principal.id);
    } else if (field.name.value === 'storefrontOffers') {
      if (!principal.storefrontId) return [failure('FORBIDDEN', 'Storefront offers need a storefront: send its x-api-key')];
      channel = offerChannels.storefront(principal.storefrontId);
    } else {
      return [failure('BAD_REQUEST', `Unknown subscription ${field.name.value}`)];
    }
    const definitions = operation.variableDefinitions ?? [];
    if (definitions.some((d) => d.variable.name.value === OFFER_VARIABLE))
      return [failure('BAD_USER_INPUT', `$${OFFER_VARIABLE} is reserved`)];
    const variables = payload.variables ?? {};
    const coerced = getVariableValues(schema, definitions, variables);
    if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT' } }));
    // Each event runs the selection again: one that costs too much is refused once, here.
    const cost = queryCost(schema, document, variables, operation.name?.value);
    if (cost > deps.maxQueryCost) {
      return [
        new GraphQLError(`This subscription costs ${cost} per event; the most one operation may cost is ${deps.maxQueryCost}.`, {
          extensions: { code: 'THROTTLED', reason: 'MAX_COST_EXCEEDED', cost: { requestedQueryCost: cost } },
        }),
      ];
    }

    const query = lookupQuery(document, operation.name?.value, definitions, field);
    // The rewrite keeps the client's selection as it is; if it ever failed validation that would be our bug.
    const rewritten = validate(schema, parse(query), specifiedRules);
    if (rewritten.length > 0) {
      console.error('[dcrm] subscription rewrite is invalid', rewritten, query);
      return [failure('INTERNAL_SERVER_ERROR', 'Internal server error')];
    }
    const plan = { channel, query, operationName: operation.name?.value, variables, responseKey: field.alias?.value ?? field.name.value };
    return { plan, document, schema };
  };

  const disposer = useServer<Record<string, unknown> | undefined>(
    {
      onConnect: async (ctx: Context<Record<string, unknown> | undefined, Extra>) => {
        const { socket, request } = ctx.extra;
        // Credentials travel as connectionParams, named like the HTTP headers.
        const headers = new HeaderMap();
        for (const [name, value] of Object.entries(ctx.connectionParams ?? {})) {
          const lower = name.toLowerCase();
          if ((lower === 'authorization' || lower === 'x-api-key') && typeof value === 'string') headers.set(lower, value);
        }
        let identity: Identity;
        try {
          identity = await deps.auth.identify(headers, deps.clientIp(request));
        } catch (error) {
          if (codeOf(error) === 'UNAUTHENTICATED') {
            socket.close(CloseCode.Unauthorized, (error as GraphQLError).message.slice(0, 120));
          } else {
            console.error('[dcrm] subscription authentication failed', error);
            socket.close(CloseCode.InternalServerError, 'Internal server error');
          }
          return false;
        }
        if (identity.principal.kind === 'anonymous' && !identity.keyId) {
          socket.close(CloseCode.Unauthorized, 'Unauthorized: send authorization or x-api-key in connectionParams');
          return false;
        }
        if (closing) {
          socket.close(1001, 'Going away');
          return false;
        }
        const connection: Connection = { socket, identity, operations: new Set(), timer: null };
        connections.set(socket, connection);
        armExpiry(connection);
        return true;
      },
      onClose: (ctx) => {
        const connection = connections.get(ctx.extra.socket);
        if (connection?.timer) clearTimeout(connection.timer);
        connections.delete(ctx.extra.socket);
      },
      onSubscribe: (ctx, id, payload): ExecutionArgs | GraphQLError[] => {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return [failure('UNAUTHENTICATED', 'Not connected')];
        if (connection.operations.size >= maxSubscriptions) {
          return [failure('THROTTLED', `At most ${maxSubscriptions} subscriptions per connection`)];
        }
        const prepared = prepare(payload, connection.identity.principal);
        if (Array.isArray(prepared)) return prepared;
        connection.operations.add(id);
        const live: Live = { plan: prepared.plan, connection };
        return { schema: prepared.schema, document: prepared.document, operationName: payload.operationName, contextValue: live };
      },
      onComplete: (ctx, id) => {
        connections.get(ctx.extra.socket)?.operations.delete(id);
      },
      // Only subscriptions get this far (prepare refuses the rest).
      subscribe: (args) => stream(args.contextValue as Live) as never,
      // Results are already formatted (and masked) by Apollo Server: send them as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
      onError: (_ctx, _id, _payload, errors): GraphQLFormattedError[] => errors.map((e) => e.toJSON()),
    },
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
    stats: () => ({ sockets: wss.clients.size, subscriptions: streams.size }),
    async close() {
      closing = true;
      const sockets = [...wss.clients];
      const closed = Promise.all(sockets.map((s) => (s.readyState === s.CLOSED ? null : new Promise((r) => s.once('close', r)))));
      await disposer.dispose();
      // Clients that do not answer the close handshake are cut off.
      const timer = setTimeout(() => {
        for (const s of sockets) s.terminate();
      }, 2_000);
      await closed;
      clearTimeout(timer);
      await Promise.all([...streams].map((finish) => finish()));
      for (const off of await revocations) await off();
    },
  };
}
