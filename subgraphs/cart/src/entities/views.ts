import type { ICartLine } from './cart.entity.js';
import type { IOrderLine } from './order.entity.js';

/** A cart line as its resolvers see it: with the cart's currency, which its prices are shown in. */
export type CartLineView = ICartLine & { currencyCode: string };

/** An order line with the order's currency (its kept prices are in it). */
export type OrderLineView = IOrderLine & { currencyCode: string };

/** An entity another subgraph owns, as this one knows it: its key. */
export type EntityRef = { id: string };
