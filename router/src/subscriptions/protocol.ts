import type { Principal } from '@dcrm/kit';
import type { ExecutionArgs, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { FormattedExecutionResult, ServerOptions, SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Identity } from '../authenticate.js';
import type { Connection, Connections } from './connections.js';
import { failure, type Planned } from './plan.js';

type Params = Record<string, unknown> | undefined;

/** What `onSubscribe` hands on to `subscribe`: the plan, run as the connection's subscriber. */
export type Live = { plan: Planned['plan']; connection: Connection };

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
      const planned = deps.plan(payload, connection.identity.principal);
      if (Array.isArray(planned)) return planned;
      connection.operations.add(id);
      const live: Live = { plan: planned.plan, connection };
      return { schema: planned.schema, document: planned.document, operationName: payload.operationName, contextValue: live };
    },
    onComplete: (ctx, id) => {
      deps.connections.get(ctx.extra.socket)?.operations.delete(id);
    },
    // Only subscriptions get this far (planning refuses the rest).
    subscribe: (args) => deps.stream(args.contextValue as Live) as never,
    // Results are already formatted (and masked) by Apollo Server: send them as they are.
    onNext: (_ctx, _id, _payload, _args, result) => {
      deps.delivered?.();
      return result as FormattedExecutionResult;
    },
    onError: (_ctx, _id, _payload, errors): GraphQLFormattedError[] => errors.map((e) => e.toJSON()),
  };
}
