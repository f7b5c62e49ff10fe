import { createHmac } from 'node:crypto';
import { actingStorefront, fail, isUuid, ok, type Principal, safeEqual, sha256Hex } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Result } from './cart.errors.js';

/** What a drop link remembers: where the customer got to. */
export type DropLinkState = {
  step: 'BROWSING' | 'CART';
  lines: { productId: string; quantity: number; parentLineId: string | null }[];
  viewedProductIds: string[];
};
export type DropLinkRow = {
  id: string;
  storefront_id: string;
  kind: 'CART' | 'BROWSE';
  customer_id: string | null;
  cart_id: string | null;
  state: DropLinkState;
  expires_at: Date;
  recovered_at: Date | null;
  converted_at: Date | null;
};

const mac = (secret: string, id: string) => createHmac('sha256', secret).update(`drop-link:${id}`).digest('base64url');

/** `dl_<id>.<hmac>`: unguessable, re-created whenever a reminder is sent, never stored. */
export const dropLinkToken = (secret: string, id: string): string => `dl_${id}.${mac(secret, id)}`;

/**
 * The cart token a link's recovery hands out: derived from the link, so every recovery of it — a
 * double tap, a retry, two at once — gives a token that opens the cart. A random token per call
 * left all but the last concurrent caller with a dead one. The link itself is the capability.
 */
const recoveryCartToken = (secret: string, id: string): string =>
  `ct_${createHmac('sha256', secret).update(`drop-link-cart:${id}`).digest('base64url')}`;

export function dropLinkId(secret: string, token: string): string | null {
  const match = /^dl_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match || !isUuid(match[1])) return null;
  return safeEqual(match[2], mac(secret, match[1])) ? match[1] : null;
}

export type Recovery = {
  kind: 'CART' | 'BROWSE';
  cartId: string | null;
  cartToken: string | null;
  viewedProductIds: string[];
  step: string;
};

/**
 * Opens a drop link on any device: the cart as it was (with the link's cart token, so this device can
 * use it), or what was being browsed. Safe to call twice, also at once (every call answers the same
 * token); expired, unknown and other brands' links are refused.
 */
export async function dropLinkRecover(
  em: EntityManager,
  principal: Principal,
  secret: string,
  token: string,
  now: Date,
): Promise<Result<Recovery>> {
  const id = dropLinkId(secret, token);
  const refused = fail('INVALID_LINK', 'This link is not valid', ['input', 'token']);
  const storefrontId = actingStorefront(principal);
  if (!id || !storefrontId) return refused;
  const [link] = (await em.execute('select * from "cart"."drop_link" where id = ? and storefront_id = ?', [
    id,
    storefrontId,
  ])) as DropLinkRow[];
  if (!link) return refused;
  if (principal.kind === 'customer' && link.customer_id && link.customer_id !== principal.id) return refused;
  if (new Date(link.expires_at) < now) return fail('EXPIRED', 'This link has expired', ['input', 'token']);
  if (link.converted_at) return fail('ALREADY_ORDERED', 'This cart was already ordered', ['input', 'token']);
  const cartToken = link.cart_id ? recoveryCartToken(secret, id) : null;
  await em.transactional(async (tx) => {
    if (link.cart_id && cartToken) {
      // Unchanged when already set: a repeated recovery does not make the cart's version stale.
      await tx.execute(
        `update "cart"."cart" set token_hash = ?, updated_at = ?, version = version + 1
         where id = ? and status = 'OPEN' and token_hash is distinct from ?`,
        [sha256Hex(cartToken), now, link.cart_id, sha256Hex(cartToken)],
      );
    }
    // The first recovery stops the reminders.
    await tx.execute('update "cart"."drop_link" set recovered_at = coalesce(recovered_at, ?) where id = ?', [now, id]);
    await tx.execute('update "cart"."reminder" set cancelled_at = ? where drop_link_id = ? and sent_at is null and cancelled_at is null', [
      now,
      id,
    ]);
  });
  return ok({ kind: link.kind, cartId: link.cart_id, cartToken, viewedProductIds: link.state.viewedProductIds, step: link.state.step });
}
