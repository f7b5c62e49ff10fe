import { brandsOf, Checks, type Connection, fail, keysetSql, ok, type PageArgs, type Principal, parsePage, toConnection } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ErrorCode, Result } from './customer.errors.js';

/**
 * A staff member's own inbox: what the notification service told them about their work (assignments,
 * escalations, approvals), of the brands they act on. Only its owner reads it or marks it read.
 */
export type StaffMessageView = { id: string; storefrontId: string; title: string; body: string; createdAt: Date; readAt: Date | null };
export type StaffInboxPage = Connection<StaffMessageView> & { unreadCount: number };

const view = (r: Record<string, unknown>): StaffMessageView => ({
  id: r.id as string,
  storefrontId: r.storefront_id as string,
  title: r.title as string,
  body: r.body as string,
  createdAt: new Date(r.created_at as string),
  readAt: r.read_at ? new Date(r.read_at as string) : null,
});

/** The owner's messages of the principal's brands (all with the all-brands grant), as SQL. */
function mine(principal: Principal): { sql: string; params: unknown[] } {
  const brands = brandsOf(principal);
  return brands.includes('*')
    ? { sql: 'staff_id = ?', params: [principal.id] }
    : { sql: 'staff_id = ? and storefront_id in (?)', params: [principal.id, brands.length ? [...brands] : [null]] };
}

export async function staffInbox(
  em: EntityManager,
  principal: Principal,
  args: PageArgs & { unreadOnly?: boolean | null },
): Promise<StaffInboxPage> {
  const page = parsePage(args, 'NEWEST', 1);
  const scope = mine(principal);
  const where = [scope.sql];
  const params = [...scope.params];
  if (args.unreadOnly) where.push('read_at is null');
  const keyset = keysetSql([{ expr: 'id', dir: 'desc', cast: 'uuid' }], page, params);
  where.push(...keyset.conditions);
  const rows = await em.execute(
    `select * from "customer"."staff_message" where ${where.join(' and ')} order by ${keyset.orderBy} limit ?`,
    [...params, page.limit + 1],
  );
  return { ...toConnection(rows.map(view), page, 'NEWEST', (r) => [r.id]), unreadCount: await unreadCount(em, principal) };
}

export async function unreadCount(em: EntityManager, principal: Principal): Promise<number> {
  const scope = mine(principal);
  const [row] = await em.execute(
    `select count(*)::int as n from "customer"."staff_message" where ${scope.sql} and read_at is null`,
    scope.params,
  );
  return (row?.n as number) ?? 0;
}

/** Marks the owner's messages read; any id not theirs (or another brand's) is NOT_FOUND and nothing changes. */
export async function staffInboxMarkRead(em: EntityManager, principal: Principal, ids: string[]): Promise<Result<number>> {
  const checks = new Checks<ErrorCode>();
  checks.uuids(ids, ['input', 'ids'], 250);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  const unique = [...new Set(ids)];
  if (unique.length) {
    const scope = mine(principal);
    const [row] = await em.execute(`select count(*)::int as n from "customer"."staff_message" where id in (?) and ${scope.sql}`, [
      unique,
      ...scope.params,
    ]);
    if ((row?.n as number) !== unique.length) return fail('NOT_FOUND', 'No such message in your inbox', ['input', 'ids']);
    await em.execute('update "customer"."staff_message" set read_at = now() where id in (?) and read_at is null', [unique]);
  }
  return ok(await unreadCount(em, principal));
}
