import { SQL_COUNT_HEADER, seedId } from '@dcrm/kit';
import request from 'supertest';
import { inject } from 'vitest';
import type { CostSettings } from '../../router/src/cost/budget.js';
import { type Stack, startStack } from '../../stack/src/stack.js';

export const KEYS = { volt: 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a', nimbus: 'dcrm_pk_nimbus_demo_8e2b6d4f1a3c5e7b' };
export const STOREFRONT_IDS = { volt: seedId('storefront', 'volt'), nimbus: seedId('storefront', 'nimbus') };
export const productId = (slug: string) => seedId('product', slug);

/**
 * The whole API in this process, on the test database (already migrated and seeded by global setup).
 * Query cost buckets of its own (a Redis prefix per stack), so test files running side by side never
 * spend each other's budgets; a test about something else than cost may pass a bigger bucket.
 */
export const startTestStack = (options: { cost?: Partial<CostSettings> } = {}): Promise<Stack> =>
  startStack({ databaseUrl: inject('databaseUrl'), seed: false, exposeSqlCount: true, cost: { keyPrefix: costPrefix(), ...options.cost } });

export const costPrefix = () => `dcrm-test:cost:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

/** For tests that hammer the router to measure something else (SQL counts): a bucket they never empty. */
export const GENEROUS_COST: Partial<CostSettings> = { maximumAvailable: 1_000_000, restoreRate: 100_000 };

export type Response = {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; path?: string[]; extensions?: { code?: string } }[] };
  statements: number;
};

type Handler = Parameters<typeof request>[0];

/** A client of the router: POST /graphql with an optional key and extra headers. */
export function client(handler: Handler, key?: string, headers: Record<string, string> = {}) {
  return async (query: string, variables?: Record<string, unknown>): Promise<Response> => {
    const req = request(handler)
      .post('/graphql')
      .set({ 'content-type': 'application/json', ...headers });
    if (key) req.set('x-api-key', key);
    const res = await req.send({ query, variables });
    return { status: res.status, body: res.body, statements: Number(res.headers[SQL_COUNT_HEADER] ?? -1) };
  };
}

export const codes = (r: Response) => r.body.errors?.map((e) => e.extensions?.code) ?? [];
/** Each error code once: naming what is outside one's schema view fails validation per name (a mutation and its input type). */
export const distinctCodes = (r: Response) => [...new Set(codes(r))];

export const DEMO_PASSWORD = 'dcrm-demo-2026';
export const PRIVATE_KEYS = {
  voltChatbot: 'dcrm_sk_volt_chatbot_demo_7d1e9b3a5c4f',
  connectifyPartner: 'dcrm_sk_connectify_demo_2b8f4e6a1c9d',
};
export const customerId = (key: string) => seedId('customer', key);

/** A client address of its own per caller, so throttling in one test file never meets another's. */
export const testIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

type Login = 'customerLogin' | 'staffLogin' | 'partnerLogin';

/** Signs in through the router and returns a client that sends the bearer token (and the key, if any). */
export async function signIn(handler: Handler, kind: Login, email: string, key?: string, password = DEMO_PASSWORD) {
  const ip = testIp();
  const res = await client(handler, key, { 'x-forwarded-for': ip })(
    `mutation ($input: LoginInput!) { ${kind}(input: $input) { accessToken refreshToken userErrors { code message } } }`,
    { input: { email, password } },
  );
  const payload = res.body.data?.[kind];
  if (!payload?.accessToken) throw new Error(`${kind} ${email} failed: ${JSON.stringify(res.body)}`);
  return {
    accessToken: payload.accessToken as string,
    refreshToken: payload.refreshToken as string,
    gql: client(handler, key, { authorization: `Bearer ${payload.accessToken}`, 'x-forwarded-for': ip }),
  };
}

/** A client signed in through the router (`signIn(…).gql`). */
export type Gql = ReturnType<typeof client>;

/**
 * `startTestStack` and Volt's manager signed in: what most router test files begin with. A failed sign-in
 * stops the stack again.
 */
export async function startWithManager(options: Parameters<typeof startTestStack>[0] = {}): Promise<{ stack: Stack; manager: Gql }> {
  const stack = await startTestStack(options);
  try {
    return { stack, manager: (await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example')).gql };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/**
 * A fresh customer of a brand, signed in — so other test files' carts, offers and counts never
 * interfere. Returns its id, email and a signed-in client.
 */
export async function registerCustomer(
  handler: Handler,
  key: string = KEYS.volt,
  options: { name?: string; marketingChannels?: string[]; prefix?: string } = {},
) {
  const email = `${options.prefix ?? 'test'}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const password = 'fresh-customer-42';
  const res = await client(handler, key, { 'x-forwarded-for': testIp() })(
    'mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { customer { id } userErrors { code message } } }',
    { input: { name: options.name ?? 'Test Customer', email, password, marketingChannels: options.marketingChannels ?? [] } },
  );
  const id = res.body.data?.customerRegister.customer?.id as string | undefined;
  if (!id) throw new Error(`customerRegister failed: ${JSON.stringify(res.body)}`);
  const session = await signIn(handler, 'customerLogin', email, key, password);
  return { id, email, ...session };
}
