import { type CapturedLogs, captureLogs } from '@dcrm/kit/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { customerId, DEMO_PASSWORD, KEYS, STOREFRONT_IDS, startTestStack, testIp } from './support/stack.js';

/**
 * The log as an operator reads it: one line per request in the router and in each subgraph it called,
 * all with the same request id, and never a key, token, password or signed principal.
 */
let stack: Stack;
let logs: CapturedLogs;

type Sent = {
  status: number;
  requestId: string;
  body: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };
};

async function send(body: unknown, headers: Record<string, string> = {}): Promise<Sent> {
  const res = await request(stack.router.handler)
    .post('/graphql')
    .set({ 'content-type': 'application/json', 'x-forwarded-for': testIp(), ...headers })
    .send(body as object);
  return { status: res.status, requestId: res.headers['x-request-id'], body: res.body };
}

const routerLines = (requestId: string) =>
  logs.lines().filter((l) => l.component === 'router' && l.msg === 'request' && l.requestId === requestId);
const subgraphLines = (requestId: string) =>
  logs.lines().filter((l) => l.component !== 'router' && l.msg === 'request' && l.requestId === requestId);
const errorLines = (requestId: string) => logs.lines().filter((l) => l.level === 'error' && l.requestId === requestId);

const secrets: string[] = [KEYS.volt, DEMO_PASSWORD];

beforeAll(async () => {
  logs = captureLogs('debug');
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.stop();
  logs.restore();
});

describe('one line per request', () => {
  it('a query: operation, client, status, duration and the same request id in router and subgraph lines', async () => {
    const sent = await send(
      { query: 'query Shop { storefront { name } products(first: 2) { nodes { id } } }', operationName: 'Shop' },
      { 'x-api-key': KEYS.volt, 'x-request-id': 'req-shop-1' },
    );
    expect(sent.status).toBe(200);
    expect(sent.requestId).toBe('req-shop-1');
    const [line, ...more] = routerLines('req-shop-1');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'info', operation: 'Shop', clientKind: 'anonymous', storefront: STOREFRONT_IDS.volt, status: 200 });
    expect(typeof line.clientId).toBe('string');
    expect(typeof line.ms).toBe('number');
    expect(line.codes).toBeUndefined();
    const fetched = subgraphLines('req-shop-1');
    expect(fetched.map((l) => l.component)).toContain('catalog');
    for (const l of fetched) expect(l).toMatchObject({ level: 'debug', status: 200 });
  });

  it('an unusable client request id is replaced by a new one', async () => {
    const sent = await send({ query: '{ storefront { name } }' }, { 'x-api-key': KEYS.volt, 'x-request-id': 'no spaces allowed' });
    expect(sent.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(routerLines(sent.requestId)).toHaveLength(1);
  });

  it('refusals before GraphQL runs have their line: a bad key (401), screening (400), a body too large (413)', async () => {
    const badKey = 'dcrm_pk_volt_not_a_key_0000000000';
    secrets.push(badKey);
    const unauthenticated = await send({ query: '{ storefront { name } }' }, { 'x-api-key': badKey });
    expect(unauthenticated.status).toBe(401);
    expect(routerLines(unauthenticated.requestId)).toEqual([expect.objectContaining({ status: 401, codes: ['UNAUTHENTICATED'] })]);

    const screened = await send({ query: `{ storefront { name(x: "a\u0000b") } }` }, { 'x-api-key': KEYS.volt });
    expect(screened.status).toBe(400);
    expect(routerLines(screened.requestId)).toEqual([expect.objectContaining({ status: 400, codes: [expect.any(String)] })]);

    const large = await send({ query: `{ storefront { name } } # ${'x'.repeat(1_100_000)}` }, { 'x-api-key': KEYS.volt });
    expect(large.status).toBe(413);
    expect(routerLines(large.requestId)).toEqual([expect.objectContaining({ status: 413, codes: ['BAD_REQUEST'] })]);
  });

  it('a sign-in, a bearer request and a FORBIDDEN: the customer named by id, expected errors not logged as errors', async () => {
    const login = await send(
      {
        query: 'mutation { customerLogin(input: { email: "aoife@example.com", password: "dcrm-demo-2026" }) { accessToken refreshToken } }',
      },
      { 'x-api-key': KEYS.volt, 'x-request-id': 'req-login' },
    );
    const { accessToken, refreshToken } = login.body.data?.customerLogin ?? {};
    expect(accessToken).toBeTruthy();
    secrets.push(accessToken, refreshToken);
    expect(routerLines('req-login')).toEqual([expect.objectContaining({ operation: '{customerLogin}', status: 200 })]);
    expect(subgraphLines('req-login').map((l) => l.component)).toContain('customer');

    const bearer = { 'x-api-key': KEYS.volt, authorization: `Bearer ${accessToken}` };
    const me = await send({ query: 'query Me { me { id } }' }, { ...bearer, 'x-request-id': 'req-me' });
    expect(me.body.data?.me?.id).toBe(customerId('aoife'));
    expect(routerLines('req-me')).toEqual([
      expect.objectContaining({ operation: 'Me', clientKind: 'customer', clientId: customerId('aoife'), status: 200 }),
    ]);
    expect(subgraphLines('req-me')).toEqual([expect.objectContaining({ component: 'customer', clientKind: 'customer' })]);

    // In the customer's schema view, but it needs a scope a customer does not hold.
    const forbidden = await send(
      { query: '{ customerByIdentity(email: "nobody@example.com") { id } }' },
      { ...bearer, 'x-request-id': 'req-forbidden' },
    );
    expect(forbidden.body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(routerLines('req-forbidden')).toEqual([expect.objectContaining({ codes: ['FORBIDDEN'] })]);
    expect(errorLines('req-forbidden')).toEqual([]);
  });
});

describe('redaction', () => {
  it('no key, token, password or signed principal appears anywhere in the output', () => {
    const text = logs.text();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/bearer /i);
    expect(text).not.toContain('x-dcrm-principal');
  });
});
