import { EVENTS, loggerFor, type MikroORM, type OrderPlacedEvent, TICKET_EVENTS } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { attributeOrder } from './attribution.js';
import { busFeed } from './decisioning/bus-events.js';
import { handleSignal, type RuleEvent, toSignal } from './realtime.js';
import type { PromotionServices } from './services.js';

const RULE_EVENTS: [string, RuleEvent][] = [
  [EVENTS.productViewed, 'PRODUCT_VIEWED'],
  [EVENTS.cartAbandoned, 'CART_ABANDONED'],
  [EVENTS.orderPlaced, 'ORDER_PLACED'],
  // A resolved ticket (the ticket subgraph's outbox): goodwill offers.
  [TICKET_EVENTS.resolved, 'TICKET_RESOLVED'],
];

/**
 * Subscribes the real-time rules (and campaign attribution of orders) to domain events; returns the
 * unsubscribe. Each event is handled on a fresh EntityManager; a failure is logged, never thrown into
 * the bus. Both handlers are idempotent, so an event heard by several instances (or twice) counts once.
 */
export async function startEventConsumers(orm: MikroORM, services: PromotionServices): Promise<() => Promise<void>> {
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const tracked = work
      .catch((error) => loggerFor('promotion').error({ err: error }, 'event not handled'))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  // The same events feed real-time decisioning (its rules for these types), each decided once by its event id.
  const decisioning = busFeed(services);
  const unsubscribes = await Promise.all(
    RULE_EVENTS.map(([channel, event]) =>
      services.bus.subscribe(channel, (payload) => {
        const signal = toSignal(event, payload as never);
        if (signal) track(handleSignal(orm.em.fork() as EntityManager, services, signal));
        decisioning.hear(event, payload);
      }),
    ),
  );
  unsubscribes.push(
    await services.bus.subscribe(EVENTS.orderPlaced, (payload) => {
      const event = payload as OrderPlacedEvent;
      if (event?.customerId && event.storefrontId) track(attributeOrder(orm.em.fork() as EntityManager, event));
    }),
  );
  return async () => {
    for (const unsubscribe of unsubscribes) await unsubscribe();
    await Promise.allSettled([...pending, decisioning.drain()]);
  };
}
