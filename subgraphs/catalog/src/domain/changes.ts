import { CATALOG_CHANGED, type CatalogChanged, type EventBus, loggerFor, type SubgraphPlugin } from '@dcrm/kit';

/**
 * Announces every mutation the catalog answers (`CATALOG_CHANGED`), once its work is committed and
 * before its answer leaves: routers forget the catalog content they keep for live lookups
 * (router/src/subscriptions/lookup-cache.ts). Published first, the notice reaches a router's bus
 * connection ahead of any event the caller causes after the answer (Redis delivers a subscriber's
 * messages in the order they were published). Failed and refused mutations are announced too: a
 * notice too many costs one lookup.
 */
export function announceChanges(bus: EventBus): SubgraphPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          const change: CatalogChanged = { storefrontId: contextValue.principal?.storefrontId ?? null };
          await bus
            .publish(CATALOG_CHANGED, change)
            .catch((error) => loggerFor('catalog').error({ err: error }, 'catalog change not announced'));
        },
      };
    },
  };
}
