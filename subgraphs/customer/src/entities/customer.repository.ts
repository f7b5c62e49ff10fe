import { keysetOrderBy, keysetWhere, normaliseEmail, type OrmKey, type Page } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, type ICustomer } from './customer.entity.js';

const BY_ID: OrmKey[] = [{ field: 'id', dir: 'asc' }];

/** LIKE wildcards a search text may not smuggle in. */
const literal = (text: string) => text.replace(/[%_\\]/g, '');

/**
 * One page (by id) of the accounts `scope` admits; `text` matches anywhere in the name or the start
 * of the email. Reads one row past the page, which tells whether there is a next one.
 */
export function customersPage(
  em: EntityManager,
  scope: FilterQuery<ICustomer>,
  text: string | undefined,
  page: Page,
): Promise<ICustomer[]> {
  const search = text
    ? { $or: [{ name: { $ilike: `%${literal(text)}%` } }, { email: { $ilike: `${literal(normaliseEmail(text))}%` } }] }
    : {};
  return em.find(
    Customer,
    { $and: [scope, keysetWhere(BY_ID, page), search] },
    { orderBy: keysetOrderBy(BY_ID, page), limit: page.limit + 1 },
  );
}

/** The account `scope` admits with this mobile number or (normalised) email. */
export const customerByIdentity = (
  em: EntityManager,
  scope: FilterQuery<ICustomer>,
  identity: { mobile: string } | { email: string },
): Promise<ICustomer | null> => em.findOne(Customer, { $and: [scope, identity] });

/** The accounts `scope` admits with any of these (normalised) emails or mobile numbers. */
export const customersByIdentities = (
  em: EntityManager,
  scope: FilterQuery<ICustomer>,
  identities: { emails: string[]; mobiles: string[] },
): Promise<ICustomer[]> =>
  em.find(Customer, { $and: [scope, { $or: [{ email: { $in: identities.emails } }, { mobile: { $in: identities.mobiles } }] }] });

/** Deeper than any real account tree; a stop should a parent link ever loop. */
const MAX_DEPTH = 32;

/** The ids above each account, nearest first (parent, grandparent, … the top account): one statement for any number of accounts. */
export async function ancestorIds(em: EntityManager, ids: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await em.execute(
    `with recursive up(root, id, depth) as (select id, parent_id, 1 from "customer"."customer" where id in (?) and parent_id is not null
       union all select up.root, c.parent_id, up.depth + 1 from "customer"."customer" c join up on c.id = up.id
       where c.parent_id is not null and up.depth < ${MAX_DEPTH})
     select root, id from up order by root, depth`,
    [[...ids]],
  );
  const chains = new Map<string, string[]>();
  for (const row of rows) chains.set(row.root as string, [...(chains.get(row.root as string) ?? []), row.id as string]);
  return chains;
}
