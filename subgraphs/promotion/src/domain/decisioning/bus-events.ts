import { type CartAbandonedEvent, loggerFor, type OrderPlacedEvent, type ProductViewedEvent, type TicketResolvedEvent } from '@dcrm/kit';
import type { PromotionServices } from '../services.js';
import type { Decisioning, Incoming } from './decide.js';
import { decideBatch } from './decide.js';
import { entryFields } from './stream-fields.js';

/** The producer name of events from the platform's own bus; an event's id is the bus event id (its outbox row). */
export const BUS_PRODUCER = 'dcrm.bus';

export type BusEventType = 'PRODUCT_VIEWED' | 'CART_ABANDONED' | 'ORDER_PLACED' | 'TICKET_RESOLVED';
type BusPayload = ProductViewedEvent | CartAbandonedEvent | OrderPlacedEvent | TicketResolvedEvent;

/** What rules read of each internal event (the built-in types' payloads, `event-types.ts`). */
function payloadOf(type: BusEventType, e: BusPayload): Record<string, unknown> {
  switch (type) {
    case 'PRODUCT_VIEWED':
      return { productId: (e as ProductViewedEvent).productId };
    case 'CART_ABANDONED': {
      const c = e as CartAbandonedEvent;
      return { kind: c.kind, productIds: c.productIds ?? [], lines: c.productIds?.length ?? 0 };
    }
    case 'ORDER_PLACED': {
      const o = e as OrderPlacedEvent;
      const dueNow = Number(o.dueNow);
      return {
        orderId: o.orderId,
        productIds: o.productIds ?? [],
        dueNow: Number.isFinite(dueNow) ? dueNow : 0,
        currency: o.currencyCode,
        ...(o.monthly !== undefined && Number.isFinite(Number(o.monthly)) ? { monthly: Number(o.monthly) } : {}),
      };
    }
    case 'TICKET_RESOLVED': {
      const t = e as TicketResolvedEvent;
      return { ticketId: t.ticketId, category: t.category, priority: t.priority };
    }
  }
}

/** One internal event as a decision event of its brand, about its customer by account id; null when it names no customer. */
export function busEvent(type: BusEventType, e: BusPayload): Incoming | null {
  if (!e?.eventId || !e.customerId || !e.storefrontId) return null;
  return {
    storefrontId: e.storefrontId,
    raw: {
      producer: BUS_PRODUCER,
      eventId: e.eventId,
      identity: { accountId: e.customerId },
      type,
      occurredAt: e.at ?? null,
      payload: payloadOf(type, e),
    },
    takeover: false,
  };
}

/** Events gathered before a batch goes to the decider (one tick's worth, at most this many). */
const MAX_BATCH = 100;

/**
 * Feeds internal bus events to decisioning: every instance hears each event, and the decision path's
 * claim and the decision's unique key (brand, producer, bus event id) let exactly one decide it. Events
 * heard in the same tick go as one batch. Returns `hear(type, payload)` and `drain()` (waits for what is in flight).
 */
export function busFeed(services: PromotionServices) {
  const log = loggerFor('decisioning');
  let queued: Incoming[] = [];
  let scheduled = false;
  const inFlight = new Set<Promise<unknown>>();
  const flush = () => {
    scheduled = false;
    const d: Decisioning | undefined = services.decisioning;
    const batch = queued.splice(0, MAX_BATCH);
    if (queued.length) schedule();
    if (!d || batch.length === 0) return;
    const run = decideBatch(d, 'BUS', batch)
      .then(async (results) => {
        const dead = [];
        for (const [i, r] of results.entries())
          if (r.status === 'REJECTED') {
            log.warn({ event: r.eventId, reason: r.reasons[0]?.code }, 'bus event not decided');
            dead.push({ fields: entryFields(batch[i]), reasons: r.reasons.map((x) => x.code) });
          }
        // Set aside like the stream's (`decisionDeadLetters`), with the fields a stream entry would have.
        await d.deadLetters.add(dead);
      })
      .catch((error) => log.error({ err: error }, 'bus events not decided'))
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return {
    hear(type: BusEventType, payload: unknown) {
      const incoming = busEvent(type, payload as BusPayload);
      if (!incoming) return;
      queued.push(incoming);
      schedule();
    },
    async drain() {
      queued = [];
      await Promise.allSettled([...inFlight]);
    },
  };
}
