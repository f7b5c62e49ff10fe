import {
  actingStorefront,
  fail,
  isUuid,
  keysetSql,
  ok,
  ownedRow,
  type Page,
  type Principal,
  type SubgraphTarget,
  segmentsOf,
} from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { logOutboundCall } from '../clients/customer.js';
import { Cart, type ICart } from '../entities/index.js';
import type { Result } from './cart.errors.js';

/** Abandoned = has a CART drop link not yet recovered or ordered; staff see their segments'. */
function abandonedWhere(principal: Principal): { sql: string; params: unknown[] } | null {
  const segments = segmentsOf(principal);
  const storefrontId = actingStorefront(principal);
  if (!storefrontId || segments.length === 0) return null;
  const all = segments.includes('*');
  return {
    sql: `c.storefront_id = ? and c.status = 'OPEN' ${all ? '' : 'and c.segment in (?)'}
      and exists (select 1 from "cart"."drop_link" dl where dl.cart_id = c.id and dl.recovered_at is null and dl.converted_at is null)`,
    params: all ? [storefrontId] : [storefrontId, segments],
  };
}

export async function abandonedCarts(em: EntityManager, principal: Principal, page: Page): Promise<ICart[]> {
  const where = abandonedWhere(principal);
  if (!where) return [];
  const params = [...where.params];
  const keyset = keysetSql([{ expr: 'c.id', dir: 'desc', cast: 'uuid' }], page, params);
  const rows = await em.execute(
    `select c.id from "cart"."cart" c where ${[where.sql, ...keyset.conditions].join(' and ')} order by ${keyset.orderBy} limit ?`,
    [...params, page.limit + 1],
  );
  const ids = rows.map((r) => r.id as string);
  const carts = await em.find(Cart, { id: { $in: ids } });
  return ids.map((id) => carts.find((c) => c.id === id) as ICart);
}

/** A staff member takes over an abandoned cart of their segments; the customer's history records it. */
export async function cartAssist(
  em: EntityManager,
  principal: Principal,
  customer: SubgraphTarget,
  cartId: string,
): Promise<Result<ICart>> {
  const where = abandonedWhere(principal);
  if (!where || !isUuid(cartId)) return fail('NOT_FOUND', 'No such abandoned cart', ['input', 'cartId']);
  const [row] = await em.execute(`select c.id from "cart"."cart" c where ${where.sql} and c.id = ?`, [...where.params, cartId]);
  if (!row) return fail('NOT_FOUND', 'No such abandoned cart', ['input', 'cartId']);
  // The raw query above already holds the brand; the loaded row is checked again by kit's rule.
  const cart = ownedRow(principal, await em.findOne(Cart, { id: cartId }));
  if (!cart) return fail('NOT_FOUND', 'No such abandoned cart', ['input', 'cartId']);
  cart.assistedBy = principal.id;
  // From now on it is an agent-assisted sale (channel-limited promotions see AGENT).
  cart.channel = 'AGENT';
  await em.flush();
  // Recorded as the staff member, so the customer subgraph applies its own segment rules too.
  if (cart.customerId) await logOutboundCall(customer, principal, cart.customerId, `Assisted with abandoned cart ${cart.id}`);
  return ok(cart);
}

export type RecoveryKpis = {
  cartsAbandoned: number;
  browsesAbandoned: number;
  linksSent: number;
  recovered: number;
  converted: number;
  recoveryRate: number | null;
};

export async function recoveryKpis(em: EntityManager, storefrontId: string, from: Date | null, to: Date | null): Promise<RecoveryKpis> {
  const [k] = await em.execute(
    `select count(*) filter (where kind = 'CART')::int as carts, count(*) filter (where kind = 'BROWSE')::int as browses,
       count(*) filter (where exists (select 1 from "cart"."reminder" r where r.drop_link_id = dl.id and r.sent_at is not null))::int as sent,
       count(recovered_at)::int as recovered, count(*) filter (where recovered_at is not null and converted_at is not null)::int as converted
     from "cart"."drop_link" dl where storefront_id = ? and created_at >= ? and created_at < ?`,
    [storefrontId, from ?? new Date(0), to ?? new Date('9999-01-01')],
  );
  return {
    cartsAbandoned: k.carts,
    browsesAbandoned: k.browses,
    linksSent: k.sent,
    recovered: k.recovered,
    converted: k.converted,
    recoveryRate: k.sent ? Math.round((k.recovered / k.sent) * 1000) / 1000 : null,
  };
}
