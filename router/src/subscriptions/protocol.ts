import type { Principal } from '@dcrm/kit/principal.js';
import { type ExecutionArgs, type GraphQLError, type GraphQLFormattedError, getOperationAST, parse } from 'graphql';
import type { FormattedExecutionResult, ServerOptions, SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Identity } from '../authenticate.js';
import type { Connection, Connections } from './connections.js';
import { type Observed, subscribeObserved } from './observe.js';
import { failure, type Planned } from './plan.js';

type Params = Record<string, unknown> | undefined;

/** What `onSubscribe` hands on to `subscribe`: the plan, run as the connection's subscriber, under its subscription id. */
export type Live = { id: string; plan: Planned['plan']; connection: Connection; observed: Observed };

export type ProtocolDeps = {
  connections: Connections;
  /** The server is shutting down: new sockets are turned away (1001). */
  closing: () => boolean;
  maxSubscriptions: number;
  identify: (socket: Extra['socket'], request: Extra['request'], params: Params) => Promise<Identity | null>;
  plan: (payload: SubscribePayload, principal: Principal) => Planned | GraphQLError[];
  stream: (live: Live) => Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult>;
  /** Counts each event sent (metrics). */
  delivered?: () => void;
};

/** The graphql-ws hooks: authenticate the socket, plan each subscription within the per-socket limit, stream its events. */
export function protocolHandlers(deps: ProtocolDeps): ServerOptions<Params, Extra> {
  // Each socket's live subscriptions by id, for their end lines.
  const observed = new WeakMap<object, Map<string, Observed>>();
  const of = (ctx: object) => {
    let byId = observed.get(ctx);
    if (!byId) {
      byId = new Map();
      observed.set(ctx, byId);
    }
    return byId;
  };
  return {
    onConnect: async (ctx) => {
      const { socket, request } = ctx.extra;
      const identity = await deps.identify(socket, request, ctx.connectionParams);
      if (!identity) return false;
      if (deps.closing()) {
        socket.close(1001, 'Going away');
        return false;
      }
      deps.connections.open(socket, identity);
      return true;
    },
    onClose: (ctx) => deps.connections.forget(ctx.extra.socket),
    onSubscribe: (ctx, id, payload): ExecutionArgs | GraphQLError[] => {
      const connection = deps.connections.get(ctx.extra.socket);
      if (!connection) return [failure('UNAUTHENTICATED', 'Not connected')];
      if (connection.operations.size >= deps.maxSubscriptions) {
        return [failure('THROTTLED', `At most ${deps.maxSubscriptions} subscriptions per connection`)];
      }
      const subscribed = subscribeObserved(operationOf(payload), connection.identity, id, () =>
        deps.plan(payload, connection.identity.principal),
      );
      if ('refused' in subscribed) return subscribed.refused;
      const { planned, observed } = subscribed;
      connection.operations.add(id);
      of(ctx).set(id, observed);
      const live: Live = { id, plan: planned.plan, connection, observed };
      return { schema: planned.schema, document: planned.document, operationName: payload.operationName, contextValue: live };
    },
    onComplete: (ctx, id) => {
      deps.connections.get(ctx.extra.socket)?.operations.delete(id);
      of(ctx).get(id)?.end();
      of(ctx).delete(id);
    },
    // Only subscriptions get this far (planning refuses the rest). Their events are written by the fan-out (stream.ts).
    subscribe: (args) => deps.stream(args.contextValue as Live) as never,
    // What graphql-ws sends itself (a stream that could not start): already formatted, sent as it is.
    onNext: (ctx, id, _payload, _args, result) => {
      deps.delivered?.();
      of(ctx)
        .get(id)
        ?.delivered(result as FormattedExecutionResult);
      return result as FormattedExecutionResult;
    },
    onError: (ctx, id, _payload, errors): GraphQLFormattedError[] => {
      const formatted = errors.map((e) => e.toJSON());
      of(ctx).get(id)?.failed(formatted);
      return formatted;
    },
  };
}

/** The operation's name, or its root fields when anonymous (`{storefrontOffers}`), as the request line names it. */
function operationOf(payload: SubscribePayload): string {
  if (payload.operationName) return payload.operationName.slice(0, 200);
  try {
    const operation = getOperationAST(parse(payload.query, { maxTokens: 2_000 }));
    if (operation?.name) return operation.name.value.slice(0, 200);
    if (operation) return `{${operation.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '…')).join(',')}}`;
  } catch {
    // Unparsable: planning refuses it.
  }
  return '(unnamed)';
}
