import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const Cart = defineEntity({
  name: 'Cart',
  tableName: 'cart',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    customerId: p.uuid().nullable(),
    /** SHA-256 of the anonymous cart token; null for carts created signed in. */
    tokenHash: p.string().nullable().hidden(),
    status: p.enum(['OPEN', 'CONVERTED', 'MERGED'] as const).default('OPEN'),
    currencyCode: p.string().length(3),
    note: p.text().nullable(),
    orderId: p.uuid().nullable(),
    /** The owner's market segment (for staff's abandoned-cart lists), set when a customer owns the cart. */
    segment: p.string().nullable(),
    /** Staff member who took the cart over (assisted sales). */
    assistedBy: p.uuid().nullable(),
    /** Promo codes the shopper entered: trimmed, upper-case, at most five. */
    promoCodes: p.json<string[]>().onCreate(() => []),
    /** Where the cart is being bought: WEB; CHATBOT when made with a chatbot key; AGENT once staff assist. */
    channel: p.enum(['WEB', 'APP', 'CHATBOT', 'STORE', 'AGENT'] as const).default('WEB'),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type ICart = InferEntity<typeof Cart>;

export const CartLine = defineEntity({
  name: 'CartLine',
  tableName: 'cart_line',
  properties: {
    id: columns.id(),
    cart: () => p.manyToOne(Cart),
    productId: p.uuid(),
    parentLineId: p.uuid().nullable(),
    quantity: p.integer(),
    createdAt: columns.createdAt(),
  },
});
export type ICartLine = InferEntity<typeof CartLine>;
