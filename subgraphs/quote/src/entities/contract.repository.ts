import { cursorId, keysetOrderBy, keysetWhere, type OrmKey, type Page } from '@dcrm/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Contract,
  ContractLine,
  type ContractStatus,
  ContractTemplate,
  type IContract,
  type IContractLine,
  type IContractTemplate,
} from './contract.entity.js';

/** Newest first: UUID v7 ids are time-ordered. */
const NEWEST: OrmKey[] = [{ field: 'id', dir: 'desc', parse: cursorId }];

export type ContractPageOptions = {
  customerIds?: readonly string[];
  orderIds?: readonly string[];
  status?: ContractStatus | null;
  page: Page;
};

/** The contracts of `ids` within a row scope (ids must be UUIDs). */
export const contractsIn = (em: EntityManager, scope: FilterQuery<IContract>, ids: readonly string[]): Promise<IContract[]> =>
  em.find(Contract, { $and: [scope, { id: { $in: [...ids] } }] });

/** Newest first (UUIDv7 ids), keyset after `after`; optionally of given customers or orders, or one status. */
export const contractsPage = (em: EntityManager, scope: FilterQuery<IContract>, options: ContractPageOptions): Promise<IContract[]> =>
  em.find(
    Contract,
    {
      $and: [
        scope,
        options.customerIds ? { customerId: { $in: [...options.customerIds] } } : {},
        options.orderIds ? { orderId: { $in: [...options.orderIds] } } : {},
        options.status ? { status: options.status } : {},
        keysetWhere(NEWEST, options.page),
      ],
    },
    { orderBy: keysetOrderBy(NEWEST, options.page), limit: options.page.limit + 1 },
  );

export const contractLinesOf = (em: EntityManager, contractIds: readonly string[]): Promise<IContractLine[]> =>
  em.find(ContractLine, { contract: { $in: [...contractIds] } }, { orderBy: { position: 'asc' } });

export const templatesIn = (em: EntityManager, storefrontId: string, ids: readonly string[]): Promise<IContractTemplate[]> =>
  em.find(ContractTemplate, { storefrontId, id: { $in: [...ids] } });

export const templatesOf = (em: EntityManager, storefrontId: string, includeInactive: boolean): Promise<IContractTemplate[]> =>
  em.find(ContractTemplate, { storefrontId, ...(includeInactive ? {} : { active: true }) }, { orderBy: { name: 'asc' } });

/** The next contract number of the year, e.g. C-2026-000042. */
export async function nextContractNumber(em: EntityManager, now: Date): Promise<string> {
  const [row] = await em.execute<{ n: string }[]>(`select nextval('"quote"."contract_number_seq"')::text as n`);
  return `C-${now.getUTCFullYear()}-${row.n.padStart(6, '0')}`;
}
