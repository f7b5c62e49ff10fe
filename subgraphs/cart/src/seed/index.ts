import type { TaxCategory } from '@dcrm/kit';
import { computeTotals, type SeedOptions, seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Cart, Order, OrderEvent, OrderLine, type OrderStatus } from '../entities/index.js';

const DAY = 86_400_000;

/** Demo ids shared with the catalog and customer seeds (same namespaces and keys). */
const nimbus = seedId('storefront', 'nimbus');
const oliver = seedId('customer', 'oliver');
const productId = (slug: string) => seedId('product', slug);
export const demoOrderId = (key: string) => seedId('order', key);

type DemoLine = { slug: string; name: string; recurring?: string; oneOff?: string; taxCategory?: TaxCategory };
type DemoOrder = { key: string; daysAgo: number; lines: DemoLine[]; history: { status: OrderStatus; afterDays: number }[] };

/**
 * An order history for one demo customer, Oliver (Nimbus, oliver@example.co.uk), so `me { orders }`
 * shows something after `pnpm start`. Oliver, because no test reads his orders, and Nimbus's demo
 * code has no first-order condition (Volt's WELCOME10 would stop applying to an account with orders).
 * Lines are what he paid then (an order is a snapshot): Nimbus's catalog prices at seed time.
 * The keys' ids sort like the placement dates, so lists (newest id first) show the recent one first.
 */
const ORDERS: DemoOrder[] = [
  {
    key: 'oliver-1',
    daysAgo: 62,
    lines: [
      { slug: 'nimbus-fibre-150', name: 'Nimbus Fibre 150', recurring: '29.99' },
      { slug: 'tv-entertainment-pack', name: 'TV Entertainment Pack', recurring: '12.00' },
    ],
    history: [
      { status: 'PLACED', afterDays: 0 },
      { status: 'PROVISIONING', afterDays: 1 },
      { status: 'ACTIVE', afterDays: 4 },
    ],
  },
  {
    key: 'oliver-2',
    daysAgo: 3,
    lines: [{ slug: 'nimbus-hub-7', name: 'Nimbus Hub 7', oneOff: '129.00' }],
    history: [
      { status: 'PLACED', afterDays: 0 },
      { status: 'PROVISIONING', afterDays: 1 },
    ],
  },
];

/**
 * Demo orders (each with its converted cart and status history); skipped when they exist (idempotent).
 * Numbers come from the order sequence, like a checkout's. No outbox rows: the demo is history, not news.
 */
export async function seed(em: EntityManager, _options: SeedOptions = {}): Promise<Record<string, unknown>> {
  const summary = { orders: `${ORDERS.length} for oliver@example.co.uk (Nimbus)` };
  if (await em.count(Order, { id: { $in: ORDERS.map((o) => demoOrderId(o.key)) } })) return summary;
  const now = Date.now();
  await em.transactional(async (tx) => {
    for (const demo of ORDERS) {
      const placedAt = new Date(now - demo.daysAgo * DAY);
      const [{ seq }] = await tx.execute(`select nextval('"cart"."order_number_seq"') as seq`);
      const priced = demo.lines.map((l) => ({
        quantity: 1,
        recurring: l.recurring ?? null,
        oneOff: l.oneOff ?? null,
        deposit: null,
        taxCategory: l.taxCategory ?? 'STANDARD',
      }));
      const cart = tx.create(Cart, {
        id: seedId('cart', demo.key),
        storefrontId: nimbus,
        customerId: oliver,
        segment: 'consumer',
        status: 'CONVERTED',
        currencyCode: 'GBP',
        orderId: demoOrderId(demo.key),
        createdAt: placedAt,
        updatedAt: placedAt,
      });
      const order = tx.create(Order, {
        id: demoOrderId(demo.key),
        number: `DC-${placedAt.getUTCFullYear()}-${String(seq).padStart(6, '0')}`,
        storefrontId: nimbus,
        customerId: oliver,
        accountPath: [oliver],
        partnerId: null,
        segment: 'consumer',
        cartId: cart.id,
        idempotencyKey: `seed-${demo.key}`,
        status: demo.history.at(-1)?.status ?? 'PLACED',
        currencyCode: 'GBP',
        totals: { ...computeTotals(priced, 'GBP'), appliedDiscounts: [] },
        placedAt,
      });
      for (const l of demo.lines) {
        tx.create(OrderLine, {
          order,
          productId: productId(l.slug),
          name: l.name,
          quantity: 1,
          recurringPrice: l.recurring ?? null,
          oneOffPrice: l.oneOff ?? null,
          deposit: null,
        });
      }
      for (const h of demo.history)
        tx.create(OrderEvent, { order, status: h.status, at: new Date(placedAt.getTime() + h.afterDays * DAY) });
    }
  });
  return summary;
}
