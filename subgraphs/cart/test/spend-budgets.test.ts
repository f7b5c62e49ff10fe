import { ACCOUNT_ADMIN, type BootedSubgraph, newId, type Principal, seedId } from '@dcrm/kit';
import { bootForTest, gql, principals, unavailableTarget } from '@dcrm/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SpendBudget } from '../src/entities/index.js';
import { cartSubgraph } from '../src/index.js';

/**
 * The cart's own row rule on `Customer.spendBudgets`, reached by `_entities` (any planned fetch can):
 * the account itself, staff of its segment, its partner; nobody else, whatever the customer subgraph
 * said on the way. The customer peer is down here, so a holder reads only its own account's budgets.
 */
const VOLT = seedId('storefront', 'volt');
const NIMBUS = seedId('storefront', 'nimbus');
const PARTNER = newId();

let cart: BootedSubgraph;
beforeAll(async () => {
  cart = await bootForTest(cartSubgraph, inject('databaseUrl'), { peers: unavailableTarget });
});
afterAll(async () => {
  await cart.server.stop();
  await cart.orm.close();
});

async function budgetOfNewAccount(): Promise<{ customerId: string; id: string }> {
  const em = cart.orm.em.fork() as EntityManager;
  const customerId = newId();
  const budget = em.create(SpendBudget, {
    storefrontId: VOLT,
    customerId,
    segment: 'smb',
    partnerId: PARTNER,
    period: 'MONTH',
    amount: '100.00',
    currencyCode: 'EUR',
    perOrderLimit: null,
    timeZone: 'UTC',
    setBy: newId(),
  });
  await em.flush();
  return { customerId, id: budget.id };
}

const QUERY = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { spendBudgets { id spent { amount } remaining { amount } } } } }`;
const budgetsAs = async (principal: Principal, customerId: string) =>
  (await gql(cart, principal, QUERY, { reps: [{ __typename: 'Customer', id: customerId }] })).body.data?._entities[0]?.spendBudgets;
const staff = (segments: string[], storefrontId = VOLT): Principal => ({
  ...principals.staff(storefrontId, []),
  roles: segments.map((s) => `segment:${s}`),
});

describe('Customer.spendBudgets by reference', () => {
  it('answers the account itself, staff of its segment and its partner', async () => {
    const { customerId, id } = await budgetOfNewAccount();
    const partner: Principal = { ...principals.customer(newId(), VOLT), kind: 'partner', partnerId: PARTNER };
    for (const principal of [principals.customer(customerId, VOLT), staff(['smb']), staff(['*']), partner])
      expect(await budgetsAs(principal, customerId), principal.kind).toEqual([
        { id, spent: { amount: '0.00' }, remaining: { amount: '100.00' } },
      ]);
  });

  it('answers an empty list to anyone else, and in another brand', async () => {
    const { customerId } = await budgetOfNewAccount();
    const otherPartner: Principal = { ...principals.customer(newId(), VOLT), kind: 'partner', partnerId: newId() };
    const callers = [
      principals.customer(newId(), VOLT),
      // A holder whose tree cannot be asked (customer service down) reads only its own account.
      principals.customer(newId(), VOLT, [ACCOUNT_ADMIN]),
      principals.customer(customerId, NIMBUS),
      staff(['consumer']),
      staff(['*'], NIMBUS),
      otherPartner,
    ];
    for (const principal of callers) expect(await budgetsAs(principal, customerId), JSON.stringify(principal)).toEqual([]);
  });
});
