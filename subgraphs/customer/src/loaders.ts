import {
  byId,
  type Connection,
  cursorId,
  groupedBy,
  isUuid,
  keysetSql,
  memo,
  type OrmKey,
  type Principal,
  parentPages,
  windowByParent,
} from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { listBatches } from './domain/bulk/store.js';
import { type NotificationSentView, sentView } from './domain/notifications/history.js';
import { ACCOUNT_ADMIN, customerScope } from './domain/scope.js';
import { joinedKey, membersOfEach, reportsOfEach } from './domain/staff-pages.js';
import {
  Address,
  ancestorIds,
  Contact,
  Customer,
  type IAccessGroup,
  type IAddress,
  type IContact,
  type ICustomer,
  type INpsResponse,
  type IStaff,
  type ITeamMember,
  NpsResponse,
  Partner,
  Staff,
  Team,
  TeamMember,
} from './entities/index.js';

const BY_ID: OrmKey[] = [{ field: 'id', dir: 'asc', parse: cursorId }];

export type CustomerLoaders = ReturnType<typeof createLoaders>;

/** A customer's own id and, for a business account's admin, every account below it. */
async function ownTree(em: EntityManager, principal: Principal): Promise<string[]> {
  if (principal.kind !== 'customer' || !principal.id) return [];
  if (!principal.roles.includes(ACCOUNT_ADMIN)) return [principal.id];
  const rows = await em.execute(
    `with recursive tree(id) as (select id from "customer"."customer" where id = ?
       union select c.id from "customer"."customer" c join tree on c.parent_id = tree.id) select id from tree`,
    [principal.id],
  );
  return rows.map((r) => r.id as string);
}

/**
 * Newest-first pages of a child list per customer (kit `parentPages`): one statement per distinct page
 * request, however many customers. `extra` narrows the rows by the key's filter (e.g. unread only).
 */
function pagedChildren<T extends { id: string }, F = unknown>(
  em: EntityManager,
  table: string,
  map: (row: Record<string, unknown>) => T,
  extra: (filter: F | undefined) => string = () => '',
) {
  return parentPages<T & { parentId: string }, F>(
    async (parents, page, filter) => {
      const params: unknown[] = [parents];
      const keyset = keysetSql([{ expr: 'id', dir: 'desc', cast: 'uuid' }], page, params);
      const where = [`customer_id in (?) ${extra(filter)}`, ...keyset.conditions].join(' and ');
      params.push(page.limit + 1);
      const rows = await em.execute(
        `select * from (select t.*, row_number() over (partition by customer_id order by ${keyset.orderBy}) as rn
           from "customer"."${table}" t where ${where}) x where rn <= ? order by rn`,
        params,
      );
      return rows.map((r) => ({ ...map(r), parentId: r.customer_id as string }));
    },
    { sort: 'NEWEST', arity: 1, keyOf: (r) => [r.id], parentOf: (r) => r.parentId },
  );
}

export type InteractionRow = { id: string; channel: string; direction: string; occurredAt: Date; notes: string; staffId: string | null };
export type SiteMessageRow = { id: string; title: string; body: string; createdAt: Date; readAt: Date | null };
/** An inbox page and whose it is (null: not the caller's, so empty), for `unreadCount`. */
export type SiteMessagePage = Connection<SiteMessageRow> & { customerId: string | null };

export function createLoaders(em: EntityManager, principal: Principal) {
  const tree = memo(() => ownTree(em, principal));
  /** The principal's visibility filter (null: sees no accounts). */
  const scope = async (): Promise<FilterQuery<ICustomer> | null> => customerScope(principal, await tree());
  const scoped = async (where: FilterQuery<ICustomer>): Promise<ICustomer[]> => {
    const visible = await scope();
    return visible ? em.find(Customer, { $and: [visible, where] }, { orderBy: { id: 'asc' } }) : [];
  };

  return {
    scope,
    bulkBatches: groupedBy(
      (ids) => listBatches(em, ids),
      (b) => b.operationId,
    ),
    customer: byId(
      (ids) => scoped({ id: { $in: [...ids] } }),
      (c) => c.id,
    ),
    // A page of children for each parent of the request, in one statement numbered per parent.
    children: parentPages<ICustomer>(
      async (parents, page) => {
        const visible = await scope();
        return visible ? windowByParent(em, Customer, 'parent', parents, visible, BY_ID, page) : [];
      },
      { sort: 'ID', arity: 1, keyOf: (c) => [c.id], parentOf: (c) => c.parent?.id ?? null },
    ),
    /** The ids above each account, nearest first (whether the caller sees them is the `customer` loader's call). */
    ancestors: new DataLoader<string, string[]>(async (ids) => {
      const chains = await ancestorIds(em, ids);
      return ids.map((id) => chains.get(id) ?? []);
    }),
    descendantCount: new DataLoader<string, number>(async (ids) => {
      const rows = await em.execute(
        `with recursive tree(root, id) as (select id, id from "customer"."customer" where id in (?)
           union all select tree.root, c.id from "customer"."customer" c join tree on c.parent_id = tree.id)
         select root, count(*)::int - 1 as n from tree group by root`,
        [[...ids]],
      );
      const counts = new Map(rows.map((r) => [r.root as string, r.n as number]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    contacts: groupedBy<IContact>(
      (ids) => em.find(Contact, { customer: { $in: [...ids] } }, { orderBy: { isPrimary: 'desc', name: 'asc' } }),
      (c) => c.customer.id,
    ),
    addresses: groupedBy<IAddress>(
      (ids) => em.find(Address, { customer: { $in: [...ids] } }, { orderBy: { isDefault: 'desc', type: 'asc' } }),
      (a) => a.customer.id,
    ),
    npsResponses: groupedBy<INpsResponse>(
      (ids) => em.find(NpsResponse, { customer: { $in: [...ids] } }, { orderBy: [{ respondedAt: 'desc' }, { id: 'desc' }] }),
      (r) => r.customer.id,
    ),
    interactions: pagedChildren<InteractionRow>(em, 'interaction', (r) => ({
      id: r.id as string,
      channel: r.channel as string,
      direction: r.direction as string,
      occurredAt: new Date(r.occurred_at as string),
      notes: r.notes as string,
      staffId: (r.staff_id as string | null) ?? null,
    })),
    siteMessages: pagedChildren<SiteMessageRow, boolean>(
      em,
      'site_message',
      (r) => ({
        id: r.id as string,
        title: r.title as string,
        body: r.body as string,
        createdAt: new Date(r.created_at as string),
        readAt: r.read_at ? new Date(r.read_at as string) : null,
      }),
      (unreadOnly) => (unreadOnly ? 'and read_at is null' : ''),
    ),
    notificationsSent: pagedChildren<NotificationSentView>(em, 'notification_sent', sentView),
    unreadCount: new DataLoader<string, number>(async (ids) => {
      const rows = await em.execute(
        'select customer_id, count(*)::int as n from "customer"."site_message" where customer_id in (?) and read_at is null group by customer_id',
        [[...ids]],
      );
      const counts = new Map(rows.map((r) => [r.customer_id as string, r.n as number]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    staff: byId(
      (ids) => em.find(Staff, { id: { $in: [...ids] } }),
      (s) => s.id,
    ),
    /** Pages of managers' direct reports, by id: one statement per page request, however many managers. */
    reports: parentPages<IStaff>((parents, page) => reportsOfEach(em, principal, parents, page), {
      sort: 'ID',
      arity: 1,
      keyOf: (s) => [s.id],
      parentOf: (s) => s.manager?.id ?? null,
    }),
    accessGroups: groupedBy(
      async (staffIds) => {
        const rows = await em.execute(
          `select sag.staff_id, g.* from "customer"."staff_access_group" sag join "customer"."access_group" g on g.id = sag.access_group_id
           where sag.staff_id in (?) order by g.name`,
          [[...staffIds]],
        );
        return rows.map((r) => ({
          staffId: r.staff_id as string,
          group: { id: r.id, name: r.name, scopes: r.scopes, description: r.description, storefrontId: r.storefront_id } as IAccessGroup,
        }));
      },
      (r) => r.staffId,
    ),
    team: byId(
      (ids) => em.find(Team, { id: { $in: ids.filter(isUuid) } }),
      (t) => t.id,
    ),
    /** Pages of teams' memberships, in the order members joined (filter: active members only). */
    teamMembers: parentPages<ITeamMember, boolean>(
      (parents, page, activeOnly) => membersOfEach(em, principal, parents, page, !!activeOnly),
      {
        sort: 'JOINED',
        arity: 2,
        keyOf: joinedKey,
        parentOf: (m) => m.team.id,
      },
    ),
    /** Teams per staff member, by name. */
    staffTeams: groupedBy(
      async (ids) =>
        (await em.find(TeamMember, { staff: { $in: [...ids] } }, { populate: ['team'], orderBy: { team: { name: 'asc' } } })).map((m) => ({
          staffId: m.staff.id,
          team: m.team,
        })),
      (r) => r.staffId,
    ),
    partner: byId(
      (ids) => em.find(Partner, { id: { $in: [...ids] } }),
      (p) => p.id,
    ),
  };
}
