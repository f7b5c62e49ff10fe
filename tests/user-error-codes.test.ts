import { readFileSync } from 'node:fs';
import {
  buildSchema,
  type GraphQLEnumType,
  type GraphQLField,
  GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, KEYS, productId, startTestStack } from './support/stack.js';

/**
 * Typed user error codes: every mutation payload's `userErrors` is a non-null list of one payload family's
 * error type, which implements the `UserError` interface and has a non-null enum `code` (so codegen types
 * the codes). Through the router, a typical bad input comes back with a code its family's enum lists.
 */
const api = buildSchema(readFileSync(new URL('../schema/api.graphql', import.meta.url), 'utf8'));

const unwrap = (type: GraphQLOutputType): GraphQLOutputType => (isNonNullType(type) ? type.ofType : type);

/** The payload's `userErrors` element type, when its shape is `[X!]!` with X an object type. */
function errorTypeOf(field: GraphQLField<unknown, unknown>): GraphQLObjectType | string {
  const list = field.type;
  if (!isNonNullType(list) || !isListType(list.ofType)) return `${field.name} is not a non-null list`;
  const item = list.ofType.ofType;
  if (!isNonNullType(item) || !isObjectType(item.ofType)) return `${field.name} items are not non-null objects`;
  return item.ofType;
}

/** Every mutation whose payload carries userErrors, with its error type (or why its shape is wrong). */
function payloadErrorTypes(schema: GraphQLSchema): Map<string, GraphQLObjectType | string> {
  const out = new Map<string, GraphQLObjectType | string>();
  for (const mutation of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const payload = unwrap(mutation.type);
    if (!isObjectType(payload)) continue;
    const userErrors = payload.getFields().userErrors;
    if (userErrors) out.set(mutation.name, errorTypeOf(userErrors));
  }
  return out;
}

const codeEnum = (type: GraphQLObjectType): GraphQLEnumType | null => {
  const code = type.getFields().code?.type;
  return code && isNonNullType(code) && isEnumType(code.ofType) ? code.ofType : null;
};

describe('the composed schema', () => {
  const userError = api.getType('UserError');

  it('declares UserError as an interface of field and message', () => {
    expect(userError).toBeInstanceOf(GraphQLInterfaceType);
    expect(Object.keys((userError as GraphQLInterfaceType).getFields()).sort()).toEqual(['field', 'message']);
  });

  it("types every mutation payload's userErrors as a family implementing UserError with a described enum code", () => {
    const payloads = payloadErrorTypes(api);
    expect(payloads.size).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const [mutation, type] of payloads) {
      if (typeof type === 'string') {
        wrong.push(`${mutation}: ${type}`);
        continue;
      }
      if (!type.getInterfaces().some((i) => i.name === 'UserError')) wrong.push(`${mutation}: ${type.name} does not implement UserError`);
      const codes = codeEnum(type);
      if (!codes) wrong.push(`${mutation}: ${type.name}.code is not a non-null enum`);
      for (const value of codes?.getValues() ?? []) if (!value.description) wrong.push(`${codes?.name}.${value.name} has no description`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives each subgraph family its own enum, and kit bulk operations theirs', () => {
    const payloads = payloadErrorTypes(api);
    const family = (mutation: string) => (payloads.get(mutation) as GraphQLObjectType).name;
    expect(family('cartLinesAdd')).toBe('CartUserError');
    expect(family('cartCheckout')).toBe('CartUserError');
    expect(family('spendBudgetSet')).toBe('SpendBudgetUserError');
    expect(family('customerLogin')).toBe('CustomerUserError');
    expect(family('productCreate')).toBe('CatalogUserError');
    expect(family('quoteCreate')).toBe('QuoteUserError');
    expect(family('ticketCreate')).toBe('TicketUserError');
    expect(family('promotionCreate')).toBe('PromotionUserError');
    expect(family('leadCapture')).toBe('OpportunityUserError');
    expect(family('bulkOperationCreate')).toBe('BulkUserError');
  });
});

describe('through the router', () => {
  let stack: Stack;
  const enumValues = (name: string) => (api.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  it('answers a bad cart input with a code of CartErrorCode, and a bad sign-in with one of CustomerErrorCode', async () => {
    const shopper = client(stack.router.handler, KEYS.volt);
    const cart = await shopper(
      `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } userErrors { __typename code field message } } }`,
      { input: { lines: [{ productId: productId('volt-sim-20gb'), quantity: 0 }] } },
    );
    const cartErrors = cart.body.data?.cartCreate.userErrors;
    expect(cart.body.data?.cartCreate.cart).toBeNull();
    expect(cartErrors.length).toBeGreaterThan(0);
    for (const e of cartErrors) {
      expect(e.__typename).toBe('CartUserError');
      expect(enumValues('CartErrorCode')).toContain(e.code);
    }

    const login = await shopper(
      `mutation ($input: LoginInput!) { customerLogin(input: $input) { accessToken userErrors { ... on UserError { field message } ... on CustomerUserError { code } } } }`,
      { input: { email: 'nobody-typed-codes@example.com', password: 'wrong-password-123' } },
    );
    const [loginError] = login.body.data?.customerLogin.userErrors ?? [];
    expect(loginError).toMatchObject({ code: 'INVALID_CREDENTIALS', message: expect.any(String) });
    expect(enumValues('CustomerErrorCode')).toContain(loginError.code);
  });
});
