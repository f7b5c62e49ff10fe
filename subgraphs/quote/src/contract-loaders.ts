import { byId, cursorDate, cursorId, firstPage, groupedBy, type OrmKey, type Principal, parentPages, windowByParent } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { listContracts, visibleContracts } from './domain/contracts.js';
import { ContractEvent, contractLinesOf, type IContract, type IContractEvent, type IContractLine } from './entities/index.js';

/** At most this many contracts per account are read at once for `Customer.contracts` (later pages page in SQL). */
export const CUSTOMER_CONTRACTS_LIMIT = 500;

// A contract's history, oldest first.
const HISTORY_KEYS: OrmKey[] = [
  { field: 'at', dir: 'asc', parse: cursorDate },
  { field: 'id', dir: 'asc', parse: cursorId },
];

const parentId = (ref: string | { id: string }) => (typeof ref === 'string' ? ref : ref.id);

/** Per-request loaders of contracts (merged into the subgraph's loaders). */
export function createContractLoaders(em: EntityManager, principal: Principal) {
  return {
    // Contracts the principal may see (`Query.contract`, `_entities`).
    contract: byId<IContract>(
      (ids) => visibleContracts(em, principal, ids),
      (c) => c.id,
    ),
    // `Customer.contracts` first pages: one statement for every account of a list.
    customerContracts: groupedBy<IContract>(
      (ids) => listContracts(em, principal, { customerIds: ids, page: firstPage(CUSTOMER_CONTRACTS_LIMIT) }, false),
      (c) => c.customerId,
    ),
    // `Order.contract`: the contracts of a list of orders (the newest first), one statement.
    orderContracts: groupedBy<IContract>(
      (ids) => listContracts(em, principal, { orderIds: ids, page: firstPage(CUSTOMER_CONTRACTS_LIMIT) }, false),
      (c) => c.orderId as string,
    ),
    contractLines: groupedBy<IContractLine>(
      (ids) => contractLinesOf(em, ids),
      (l) => parentId(l.contract),
    ),
    // `Contract.history` pages, oldest first: one statement per page request, however many contracts.
    contractEvents: parentPages<IContractEvent>(
      (parents, page) => windowByParent(em, ContractEvent, 'contract', parents, {}, HISTORY_KEYS, page),
      { sort: 'OLDEST', arity: 2, keyOf: (e) => [e.at.toISOString(), e.id], parentOf: (e) => parentId(e.contract) },
    ),
  };
}
