import { lineLogger, loggerFor } from '@dcrm/kit/logger.js';
import { inSpan, SpanKind } from '@dcrm/kit/tracing.js';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Identity } from '../authenticate.js';

/**
 * What the router reports of one graphql-ws subscription, as it does of an HTTP request: a
 * `subscription start` line and a `subscription end` line (operation, client kind and ids, duration,
 * events delivered, error codes; never a credential), a span for its start and one per event it runs.
 */
export type Observed = {
  /** A result sent to the subscriber. */
  delivered(result: { errors?: readonly GraphQLFormattedError[] }): void;
  /** Errors that ended it (graphql-ws `error`). */
  failed(errors: readonly { extensions?: Record<string, unknown> }[]): void;
  /** Runs one event's execution in its span. */
  event<T>(run: () => Promise<T>): Promise<T>;
  /** The subscription is over (completed by either side, or its socket closed): the end line. */
  end(): void;
};

/** The subscription lines carry fixed keys only (`clientOf`, ids, counts, codes): nothing to redact. */
const lines = () => lineLogger(loggerFor('subscriptions'));

const codeOf = (error: { extensions?: Record<string, unknown> }) =>
  typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';

/** Who subscribes, for the lines: kind and ids as the request line has them. */
function clientOf(identity: Identity): Record<string, unknown> {
  const { principal, keyId } = identity;
  const client: Record<string, unknown> = { clientKind: principal.kind, clientId: principal.id, storefront: principal.storefrontId };
  if (keyId && keyId !== principal.id) client.keyId = keyId;
  return client;
}

const attributesOf = (operation: string) => ({
  'dcrm.service': 'router',
  'graphql.operation.type': 'subscription',
  'graphql.operation.name': operation,
});

/**
 * The subscribe itself (planning) in a `router subscribe <operation>` span; a refusal is one
 * `subscription refused` line with its codes, an accepted one starts its observation.
 */
export function subscribeObserved<R>(
  operation: string,
  identity: Identity,
  subscriptionId: string,
  plan: () => R | GraphQLError[],
): { planned: R; observed: Observed } | { refused: GraphQLError[] } {
  return inSpan(`router subscribe ${operation}`, SpanKind.SERVER, attributesOf(operation), (span) => {
    const planned = plan();
    if (Array.isArray(planned)) {
      const codes = [...new Set(planned.map(codeOf))];
      span?.setAttribute('graphql.error.codes', codes);
      lines().info({ operation, ...clientOf(identity), subscriptionId, codes }, 'subscription refused');
      return { refused: planned };
    }
    return { planned, observed: observe(operation, identity, subscriptionId) };
  });
}

function observe(operation: string, identity: Identity, subscriptionId: string): Observed {
  const startedAt = performance.now();
  const codes = new Set<string>();
  let events = 0;
  let ended = false;
  const who = { operation, ...clientOf(identity), subscriptionId };
  lines().info(who, 'subscription start');
  return {
    delivered(result) {
      events++;
      for (const error of result.errors ?? []) codes.add(codeOf(error));
    },
    failed(errors) {
      for (const error of errors) codes.add(codeOf(error));
    },
    event: (run) =>
      inSpan(`router subscription event ${operation}`, SpanKind.INTERNAL, attributesOf(operation), async (span) => {
        const result = await run();
        // Apollo's tracing plugin names the active span after the lookup query it ran: this span is the event's.
        span?.updateName(`router subscription event ${operation}`);
        span?.setAttributes(attributesOf(operation));
        const errors = (result as { errors?: readonly GraphQLFormattedError[] } | null)?.errors;
        if (errors?.length) span?.setAttribute('graphql.error.codes', [...new Set(errors.map(codeOf))]);
        return result;
      }),
    end() {
      if (ended) return;
      ended = true;
      const line: Record<string, unknown> = { ...who, ms: Math.round(performance.now() - startedAt), events };
      if (codes.size > 0) line.codes = [...codes];
      lines().info(line, 'subscription end');
    },
  };
}
