import { freePort } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Child, startChild, waitReady } from '../bench/processes.js';
import { client, KEYS, type Response, registerCustomer } from './support/stack.js';

/**
 * Production shape under a fault: the router and each subgraph are separate processes talking HTTP on
 * free ports. With light load on the router, the promotion process is killed (SIGKILL, a crash) and
 * later restarted on the same port. During the outage answers are partial — what other subgraphs own
 * still answers, promotion's fields are null with SERVICE_UNAVAILABLE — and once it is back, full
 * answers return within 5 s. Every write acknowledged meanwhile is readable afterwards.
 */
const NAMES = ['catalog', 'customer', 'cart', 'promotion', 'opportunity', 'ticket', 'quote'] as const;
const ports = new Map<string, number>();
const procs = new Map<string, Child>();
let base = '';
let env: NodeJS.ProcessEnv = {};

const startSubgraph = (name: string) => {
  const proc = startChild(name, `subgraphs/${name}/src/main.ts`, { ...env, PORT: String(ports.get(name)) });
  procs.set(name, proc);
  return waitReady(proc, `http://127.0.0.1:${ports.get(name)}/readyz`);
};

beforeAll(async () => {
  for (const name of [...NAMES, 'router']) ports.set(name, await freePort());
  env = {
    DATABASE_URL: inject('databaseUrl'),
    HOST: '127.0.0.1',
    DCRM_MIGRATE: 'false',
    DCRM_JOBS: 'off',
    // Light load from a few signed-in customers must not be throttled by query cost.
    DCRM_COST_BUCKET_SIZE: '1000000',
    DCRM_COST_RESTORE_RATE: '100000',
    ...Object.fromEntries(NAMES.map((n) => [`${n.toUpperCase()}_URL`, `http://127.0.0.1:${ports.get(n)}/graphql`])),
  };
  await Promise.all(NAMES.map(startSubgraph));
  const router = startChild('router', 'router/src/main.ts', { ...env, PORT: String(ports.get('router')) });
  procs.set('router', router);
  base = `http://127.0.0.1:${ports.get('router')}`;
  await waitReady(router, `${base}/readyz`);
}, 240_000);

afterAll(async () => {
  await Promise.all([...procs.values()].map((p) => p.stop()));
});

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
type GqlError = { path?: (string | number)[]; extensions?: Record<string, unknown> };
const errorsOf = (res: Response) => (res.body.errors ?? []) as GqlError[];
const ME = '{ me { name offers { nodes { id } } } }';
const ADD_ADDRESS = `mutation ($input: AddressAddInput!) { customerAddressAdd(input: $input) { userErrors { code } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Light, steady load: reads of `me` and address writes, one at a time; acknowledged writes are remembered. */
function startLoad(gql: Gql) {
  const acknowledged: string[] = [];
  const unexpected: string[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      if (i % 2 === 0 && acknowledged.length < 20) {
        const line1 = `${i} Outage Street`;
        const res = await gql(ADD_ADDRESS, { input: { type: 'SERVICE', line1, city: 'Cork', postcode: 'T12 X285', country: 'IE' } });
        if (res.body.data?.customerAddressAdd?.userErrors?.length === 0) acknowledged.push(line1);
        else unexpected.push(`write: ${JSON.stringify(res.body)}`);
      } else {
        const res = await gql(ME);
        // Whatever promotion's state, the customer's own fields always answer.
        if (res.status !== 200 || typeof res.body.data?.me?.name !== 'string')
          unexpected.push(`read: ${res.status} ${JSON.stringify(res.body)}`);
      }
      await sleep(50);
    }
  })();
  return {
    acknowledged,
    unexpected,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('the promotion subgraph process crashes and comes back', () => {
  it('answers partially during the outage, fully within 5 s of its return, and loses no acknowledged write', async () => {
    const customer = await registerCustomer(base, KEYS.volt, { name: 'Fay Fault', prefix: 'fault' });
    const gql = customer.gql;
    const before = await gql(ME);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data?.me.offers.nodes).toEqual(expect.any(Array));

    const load = startLoad(gql);
    await sleep(300);
    await procs.get('promotion')?.stop('SIGKILL');

    const me = await gql(ME);
    expect(me.status).toBe(200);
    expect(me.body.data?.me).toEqual({ name: 'Fay Fault', offers: null });
    expect(errorsOf(me)).toMatchObject([
      { path: ['me', 'offers'], extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, service: 'promotion' } },
    ]);
    const products = await client(base, KEYS.volt)('{ products(first: 3) { nodes { name offers { nodes { id } } } } }');
    const nodes = products.body.data?.products.nodes as { name: string; offers: unknown }[];
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(node).toEqual({ name: expect.any(String), offers: null });
    expect(errorsOf(products).every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')).toBe(true);
    await sleep(300);

    await startSubgraph('promotion');
    const back = Date.now();
    let full: Response | null = null;
    while (Date.now() - back < 5_000) {
      const res = await gql(ME);
      if (!res.body.errors && Array.isArray(res.body.data?.me?.offers?.nodes)) {
        full = res;
        break;
      }
      await sleep(100);
    }
    expect(full, 'full answers within 5 s of promotion being back').not.toBeNull();
    await sleep(200);
    await load.stop();

    expect(load.unexpected).toEqual([]);
    expect(load.acknowledged.length).toBeGreaterThan(0);
    const after = await gql('{ me { addresses { line1 } } }');
    const stored = ((after.body.data?.me.addresses ?? []) as { line1: string }[]).map((a) => a.line1);
    expect(stored).toEqual(expect.arrayContaining(load.acknowledged));
  });
});
