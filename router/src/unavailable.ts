import type { ApolloServerPlugin } from '@apollo/server';

/**
 * When nothing of an operation could be answered because a dependency was briefly away (every error
 * SERVICE_UNAVAILABLE, no data), say so at the HTTP level too: 503 with `Retry-After`, which proxies,
 * load balancers and the storefront SDK understand. Partial answers keep their 200.
 */
export function unavailablePlugin(retryAfterSeconds = 1): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data != null || !errors?.length) return;
          if (!errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(retryAfterSeconds));
        },
      };
    },
  };
}
