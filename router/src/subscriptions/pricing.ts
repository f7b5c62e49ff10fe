import type { ApolloServer } from '@apollo/server';
import type { EventBus } from '@dcrm/kit/bus.js';
import { ACCOUNT_PRICE_LIST_CREATED, type AccountPriceListCreated } from '@dcrm/kit/events.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import type { RouterContext } from '../context.js';
import type { AccountPricing, Connection, Connections } from './connections.js';
import type { Plan } from './plan.js';
import { pricedByAccount, type View, viewOf } from './view.js';

const NEGOTIATED_LIST = 'query LiveOfferAccountPricing { me { negotiatedPriceList { id } } }';
/** A failed lookup is tried again in the background after this, doubling per failure up to `RETRY_MAX_MS`. */
const RETRY_MS = 250;
const RETRY_MAX_MS = 30_000;

/**
 * Looks the list up as the customer. One that fails (a subgraph busy when a thousand sockets subscribe
 * at once) is tried again in the background while the socket is open: until it is known, the
 * connection's public offers are looked up per subscriber (one gateway execution each per event), so
 * waiting for the next event and then some would cost a lookup per event per such subscriber.
 */
function lookUp(apollo: ApolloServer<RouterContext>, connection: Connection, failures = 0): AccountPricing {
  const pricing: AccountPricing = { priceListId: undefined, ready: Promise.resolve() };
  pricing.ready = apollo
    .executeOperation({ query: NEGOTIATED_LIST }, { contextValue: { principal: connection.identity.principal } })
    .then((response) => {
      if (response.body.kind !== 'single') return;
      const { data, errors } = response.body.singleResult;
      const me = data?.me as { negotiatedPriceList?: { id: string } | null } | null | undefined;
      // Only a clean answer counts; until there is one its views stay per subscriber.
      if (!errors?.length && me) pricing.priceListId = me.negotiatedPriceList?.id ?? null;
    })
    .catch((error: unknown) => loggerFor('subscriptions').warn({ err: error }, 'negotiated price list lookup failed'))
    .finally(() => {
      if (pricing.priceListId !== undefined) return;
      pricing.failedAt = Date.now();
      const delay = Math.min(RETRY_MS * 2 ** failures, RETRY_MAX_MS) * (0.5 + Math.random());
      const retry = setTimeout(() => {
        // Superseded (the list changed meanwhile: `followAccountPriceLists`) or closed: nothing to do.
        const { socket } = connection;
        if (connection.accountPricing === pricing && socket.readyState === socket.OPEN) lookUp(apollo, connection, failures + 1);
      }, delay);
      retry.unref();
    });
  connection.accountPricing = pricing;
  return pricing;
}

/**
 * The connection's customer's negotiated price list in its storefront, looked up (as the customer)
 * once, when its first subscription shared by context opens (again in the background while that
 * fails), and kept current by `followAccountPriceLists`.
 */
function accountPricing(apollo: ApolloServer<RouterContext>, connection: Connection): AccountPricing {
  return connection.accountPricing ?? lookUp(apollo, connection);
}

/**
 * The view each event of a subscription is looked up in (view.ts): by context when its plan allows it
 * and the pricing context is known, following the customer's negotiated list when it changes.
 */
export async function subscriptionView(apollo: ApolloServer<RouterContext>, plan: Plan, connection: Connection): Promise<() => View> {
  const principal = connection.identity.principal;
  const byAccount = plan.byContext && pricedByAccount(principal);
  if (byAccount) await accountPricing(apollo, connection).ready;
  const listOf = () => (byAccount ? accountPricing(apollo, connection).priceListId : null);
  let used = listOf();
  let view = viewOf(plan, principal, plan.byContext, used);
  return () => {
    const now = listOf();
    if (now !== used) {
      used = now;
      view = viewOf(plan, principal, plan.byContext, now);
    }
    return view;
  };
}

/** A customer who gets a negotiated list (catalog's event) is priced on their own from their next event on, on every router. */
export function followAccountPriceLists(bus: EventBus, connections: Connections): Promise<() => Promise<void>> {
  return bus.subscribe(ACCOUNT_PRICE_LIST_CREATED, (payload) => {
    const { storefrontId, customerId, priceListId } = (payload ?? {}) as Partial<AccountPriceListCreated>;
    if (typeof customerId !== 'string' || typeof priceListId !== 'string') return;
    const theirs = connections.where(
      ({ principal }) => principal.kind === 'customer' && principal.id === customerId && principal.storefrontId === storefrontId,
    );
    for (const connection of theirs) connection.accountPricing = { priceListId, ready: Promise.resolve() };
  });
}
