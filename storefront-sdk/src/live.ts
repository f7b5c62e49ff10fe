import type { Client, FormattedExecutionResult, Sink } from 'graphql-ws/client';
import { type GraphQLResponseError, type GraphQLResult, SubscriptionError } from './errors.js';

/** Options of one subscription. */
export type SubscribeOptions = {
  /** The subscription ended abnormally (and will not resume on its own). */
  onError?: (error: SubscriptionError) => void;
  /** The server completed the subscription. */
  onComplete?: () => void;
};

type LiveDeps = {
  url: string;
  webSocketImpl: unknown;
  retryAttempts: number;
  /** `x-api-key` and `authorization` for a new connection; records which token the socket used. */
  connectionParams: () => Promise<{ params: Record<string, string>; token: string | null }>;
  /** The server closed with 4401: renew the session if `token` is still the current one. */
  unauthorized: (token: string | null) => Promise<void>;
};

export type Live = {
  subscribe(
    query: string,
    variables: Record<string, unknown> | undefined,
    onNext: (r: GraphQLResult<unknown>) => void,
    options?: SubscribeOptions,
  ): () => void;
  /** Reconnects at once with the current credentials (after sign-in or sign-out); subscriptions resume. */
  restart(): void;
  dispose(): Promise<void>;
};

const UNAUTHORIZED = 4401;
const FORBIDDEN = 4403;
const RESTART = 4205;

const closeCodeOf = (error: unknown): number | undefined =>
  error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'number'
    ? (error as { code: number }).code
    : undefined;

const toSubscriptionError = (error: unknown): SubscriptionError => {
  if (error instanceof SubscriptionError) return error;
  if (Array.isArray(error)) {
    const errors = error as GraphQLResponseError[];
    return new SubscriptionError(errors[0]?.message ?? 'Subscription refused', { errors });
  }
  const closeCode = closeCodeOf(error);
  if (closeCode !== undefined) {
    const reason = String((error as { reason?: unknown }).reason ?? '');
    return new SubscriptionError(`Socket closed ${closeCode}${reason ? `: ${reason}` : ''}`, { closeCode, cause: error });
  }
  return new SubscriptionError(error instanceof Error ? error.message : 'Subscription failed', { cause: error });
};

/**
 * graphql-ws, loaded on first use (so an app that never subscribes never loads it): one socket per
 * client, opened while a subscription is active. Reconnects with backoff on dropped connections;
 * 4401 renews the session and resubscribes once; 4403 ends the subscription.
 */
export function createLive(deps: LiveDeps): Live {
  let client: Promise<Client> | null = null;
  let socket: { close(code?: number, reason?: string): void } | null = null;
  let socketToken: string | null = null;
  let unauthorizedStreak = 0;
  let restarting = false;

  const wsClient = () =>
    (client ??= import('graphql-ws/client').then(({ createClient }) =>
      createClient({
        url: deps.url,
        webSocketImpl: deps.webSocketImpl,
        lazy: true,
        retryAttempts: deps.retryAttempts,
        // 4403 (forbidden) will not change by retrying; graphql-ws itself ends on 4401 and 4400-range errors.
        shouldRetry: (event) => closeCodeOf(event) !== FORBIDDEN,
        retryWait: async (retries) => {
          if (restarting) {
            restarting = false;
            return;
          }
          const ms = Math.min(30_000, 1000 * 2 ** retries) + Math.floor(Math.random() * 1000);
          await new Promise((resolve) => setTimeout(resolve, ms));
        },
        connectionParams: async () => {
          const { params, token } = await deps.connectionParams();
          socketToken = token;
          return params;
        },
        on: {
          opened: (opened) => {
            socket = opened as typeof socket;
          },
          connected: () => {
            unauthorizedStreak = 0;
          },
          closed: (event) => {
            socket = null;
            if (closeCodeOf(event) === UNAUTHORIZED) unauthorizedStreak++;
          },
        },
      }),
    ));

  return {
    subscribe(query, variables, onNext, options = {}) {
      let stopped = false;
      let dispose: (() => void) | null = null;
      const start = () => {
        wsClient().then(
          (ws) => {
            if (stopped) return;
            const sink: Sink<FormattedExecutionResult> = {
              next: (value) =>
                onNext({
                  data: value.data ?? null,
                  errors: value.errors as GraphQLResponseError[] | undefined,
                  extensions: value.extensions,
                }),
              error: (error) => {
                if (stopped) return;
                if (closeCodeOf(error) === UNAUTHORIZED && unauthorizedStreak <= 1) {
                  // The token expired or the session was renewed elsewhere: renew if needed, then resubscribe once.
                  void deps
                    .unauthorized(socketToken)
                    .catch(() => {})
                    .then(() => {
                      if (!stopped) start();
                    });
                  return;
                }
                stopped = true;
                options.onError?.(toSubscriptionError(error));
              },
              complete: () => {
                if (stopped) return;
                stopped = true;
                options.onComplete?.();
              },
            };
            dispose = ws.subscribe({ query, variables }, sink);
          },
          (error: unknown) => {
            stopped = true;
            options.onError?.(toSubscriptionError(error));
          },
        );
      };
      start();
      return () => {
        stopped = true;
        dispose?.();
      };
    },
    restart() {
      if (!socket) return;
      restarting = true;
      socket.close(RESTART, 'Client Restart');
    },
    async dispose() {
      const pending = client;
      client = null;
      if (pending) await (await pending.catch(() => null))?.dispose();
    },
  };
}
