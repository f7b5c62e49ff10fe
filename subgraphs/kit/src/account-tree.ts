import type { Principal } from './principal.js';
import type { AccountRowFilter } from './row-scope.js';
import { answerError, type SubgraphTarget } from './targets.js';

/** The role a BUSINESS account's holder gets at sign-in: it sees the accounts below its own. */
export const ACCOUNT_ADMIN = 'account-admin';

/** Whether a customer principal holds a business account (and so may see its sub-accounts' rows). */
export const isAccountAdmin = (principal: Principal): boolean =>
  principal.kind === 'customer' && !!principal.id && principal.roles.includes(ACCOUNT_ADMIN);

const TREE = `query AccountTree($after: String) { customers(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;
const MAX_PAGES = 50;

/**
 * The accounts a business account's holder may see — its own and every descendant — as the customer
 * subgraph (their owner) decides, asked as the caller. Any other principal: its own id only, no call.
 * Modules whose rows copy the account id (tickets, orders, quotes) widen a holder's row scope with it.
 * Throws when the customer subgraph does not answer: never call inside a transaction.
 */
export async function accountTreeOf(customer: SubgraphTarget, principal: Principal): Promise<string[]> {
  if (principal.kind !== 'customer' || !principal.id) return [];
  if (!isAccountAdmin(principal)) return [principal.id];
  const ids = new Set<string>([principal.id]);
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await customer.execute({ query: TREE, operationName: 'AccountTree', variables: { after } }, principal);
    if (response.errors?.length) throw answerError(customer.name, response.errors);
    const found = response.data?.customers as { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    for (const node of found.nodes) ids.add(node.id);
    if (!found.pageInfo.hasNextPage || !found.pageInfo.endCursor) break;
    after = found.pageInfo.endCursor;
  }
  return [...ids];
}

/** A customer's row scope widened to the accounts of its tree (`accountTreeOf`); other scopes unchanged. */
export function withAccountTree(scope: AccountRowFilter | null, principal: Principal, tree: readonly string[]): AccountRowFilter | null {
  if (!scope || principal.kind !== 'customer' || tree.length <= 1) return scope;
  return { storefrontId: scope.storefrontId, customerId: { $in: [...tree] } };
}
