import type { ApolloServer } from '@apollo/server';
import type { EventBus } from '@dcrm/kit/bus.js';
import { ACCOUNT_PRICE_LIST_CREATED, type AccountPriceListCreated } from '@dcrm/kit/events.js';
import { loggerFor } from '@dcrm/kit/logger.js';
import type { RouterContext } from '../context.js';
import type { Connection, Connections } from './connections.js';
import type { Plan } from './plan.js';
import { pricedByAccount, type View, viewOf } from './view.js';

const NEGOTIATED_LIST = 'query LiveOfferAccountPricing { me { negotiatedPriceList { id } } }';

/**
 * The connection's customer's negotiated price list in its storefront, looked up (as the customer)
 * once, when its first subscription shared by context opens; kept current by `followAccountPriceLists`.
 */
async function accountPricing(apollo: ApolloServer<RouterContext>, connection: Connection): Promise<void> {
  if (!connection.accountPricing) {
    const pricing = { priceListId: undefined as string | null | undefined, ready: Promise.resolve() as Promise<unknown> };
    pricing.ready = apollo
      .executeOperation({ query: NEGOTIATED_LIST }, { contextValue: { principal: connection.identity.principal } })
      .then((response) => {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        const me = data?.me as { negotiatedPriceList?: { id: string } | null } | null | undefined;
        // Only a clean answer counts; otherwise its views stay per subscriber.
        if (!errors?.length && me) pricing.priceListId = me.negotiatedPriceList?.id ?? null;
      })
      .catch((error: unknown) => loggerFor('subscriptions').warn({ err: error }, 'negotiated price list lookup failed'));
    connection.accountPricing = pricing;
  }
  await connection.accountPricing.ready;
}

/**
 * The view each event of a subscription is looked up in (view.ts): by context when its plan allows it
 * and the pricing context is known, following the customer's negotiated list when it changes.
 */
export async function subscriptionView(apollo: ApolloServer<RouterContext>, plan: Plan, connection: Connection): Promise<() => View> {
  const principal = connection.identity.principal;
  const byAccount = plan.byContext && pricedByAccount(principal);
  if (byAccount) await accountPricing(apollo, connection);
  const listOf = () => (byAccount ? connection.accountPricing?.priceListId : null);
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
