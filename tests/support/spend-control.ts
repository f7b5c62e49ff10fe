import { randomUUID } from 'node:crypto';
import type { Stack } from '../../stack/src/stack.js';
import { dbRows } from './brand-matrix.js';
import { type client, KEYS, productId, signIn } from './stack.js';

/**
 * Spend-control fixtures: business accounts opened under a seeded business (as its holder does), each
 * given the demo password (sub-accounts are opened without one) so it can sign in as the buyer.
 */
type Gql = ReturnType<typeof client>;
export type Account = { id: string; email: string; gql: Gql };

const CHILD = `mutation ($input: CustomerChildCreateInput!) { customerChildCreate(input: $input) { customer { id } userErrors { code } } }`;
export const PLAN = productId('volt-sim-unlimited');
export const SET = `mutation ($input: SpendBudgetSetInput!) { spendBudgetSet(input: $input) {
  spendBudget { id period amount { amount currencyCode } perOrderLimit { amount } spent { amount } remaining { amount } timeZone }
  userErrors { code field } } }`;
export const REMOVE = `mutation ($input: SpendBudgetRemoveInput!) { spendBudgetRemove(input: $input) { spendBudget { id } userErrors { code } } }`;
export const BUDGETS = `query ($id: ID!) { customer(id: $id) { spendBudgets { id period amount { amount } spent { amount } remaining { amount } } } }`;
export const AWAITING = '{ ordersAwaitingApproval { nodes { id status customer { id } } } }';
export const APPROVE = `mutation ($input: OrderApproveInput!) { orderApprove(input: $input) { order { id status statusReason } userErrors { code } } }`;
export const REJECT = `mutation ($input: OrderRejectInput!) { orderReject(input: $input) { order { id status statusReason } userErrors { code } } }`;
const CREATE = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id version totals { dueNow { amount } monthly { amount } } } userErrors { code } } }`;
const CHECKOUT = `mutation ($input: CartCheckoutInput!) { cartCheckout(input: $input) { order { id number status statusReason } userErrors { code } } }`;

/** Opens a business account under `parentId` as `holder`, with the demo password, signed in. */
export async function openAccount(stack: Stack, holder: Gql, parentId: string, key = KEYS.volt): Promise<Account> {
  const email = `spend-${randomUUID().slice(0, 8)}@acme.example`;
  const made = await holder(CHILD, { input: { parentId, name: 'Spend control test', email } });
  const id = made.body.data?.customerChildCreate.customer?.id as string | undefined;
  if (!id) throw new Error(`customerChildCreate failed: ${JSON.stringify(made.body)}`);
  await dbRows(
    stack,
    'customer',
    `update "customer"."customer" set password_hash = (select password_hash from "customer"."customer" where email = 'it@acme.example') where id = ?`,
    [id],
  );
  return { id, email, gql: (await signIn(stack.router.handler, 'customerLogin', email, key)).gql };
}

/** A cart of one plan, ready to check out, with what its order would spend (dueNow + monthly, cents). */
export async function cartOf(buyer: Gql, quantity = 1) {
  const cart = (await buyer(CREATE, { input: { lines: [{ productId: PLAN, quantity }] } })).body.data?.cartCreate.cart;
  const spend = Math.round((Number(cart.totals.dueNow.amount) + Number(cart.totals.monthly.amount)) * 100);
  return { cart: { cartId: cart.id as string, version: cart.version as number }, spend };
}

export type Placed = { id: string; number: string; status: string; statusReason: string | null };

export async function checkout(buyer: Gql, cart: { cartId: string; version: number }): Promise<Placed> {
  const res = await buyer(CHECKOUT, { input: { cart, idempotencyKey: randomUUID() } });
  const payload = res.body.data?.cartCheckout;
  if (!payload?.order) throw new Error(`checkout failed: ${JSON.stringify(res.body)}`);
  return payload.order;
}

/** Cents → a Decimal string. */
export const amount = (cents: number) => (cents / 100).toFixed(2);
