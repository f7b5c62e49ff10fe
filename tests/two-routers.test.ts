import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, redisAnswers } from '@dcrm/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectLive, eventually, type LiveClient, subscribeLive } from './support/live.js';
import { KEYS, productId, registerCustomer, signIn } from './support/stack.js';

const redisUrl = process.env.REDIS_URL;
const reachable = await redisAnswers(redisUrl);
const why = redisUrl ? `Redis at ${redisUrl} does not answer` : 'REDIS_URL is not set';
if (!reachable) console.warn(`[tests] two routers sharing Redis: skipped (${why})`);

type RouterProcess = { base: string; ws: string; child: ChildProcess; output: string[] };

/** `pnpm start`'s all-in-one process (every subgraph and a router) on the test database and the shared Redis. */
async function startRouter(): Promise<RouterProcess> {
  const port = await freePort();
  // Node with tsx's loader directly: two `pnpm exec` starting at once race on pnpm's state file.
  const child = spawn(process.execPath, ['--import', 'tsx', 'stack/src/all-in-one.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: redisUrl,
      DCRM_JOBS: 'off',
      DCRM_EXPOSE_LIVE_STATS: '1',
      APOLLO_TELEMETRY_DISABLED: '1',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  const base = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`router exited (${child.exitCode}): ${output.join('').slice(-2000)}`);
    return fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
  }, 200);
  return { base, ws: `ws://127.0.0.1:${port}/graphql`, child, output };
}

async function stopRouter(router: RouterProcess | undefined): Promise<void> {
  if (!router?.child.pid || router.child.exitCode !== null) return;
  const exited = new Promise((resolve) => router.child.once('exit', resolve));
  process.kill(-router.child.pid, 'SIGTERM');
  await exited;
}

const liveStats = async (router: RouterProcess) =>
  (await (await fetch(`${router.base}/debug/subscriptions`)).json()) as { sockets: number; subscriptions: number };

describe.skipIf(!reachable)('two router processes sharing Redis (needs a reachable REDIS_URL)', () => {
  let one: RouterProcess;
  let two: RouterProcess;
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    [one, two] = await Promise.all([startRouter(), startRouter()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await Promise.all([stopRouter(one), stopRouter(two)]);
  });

  it('a subscriber on router 1 receives an offer made through router 2, resolved with its catalog fields', async () => {
    const customer = await registerCustomer(one.base, KEYS.volt, { name: 'Two Routers', prefix: 'routers' });
    const live = connectLive(one.ws, { authorization: `Bearer ${customer.accessToken}` });
    sockets.push(live);
    const sub = subscribeLive(live, 'subscription { offerReceived { id title product { name slug } } }');
    await eventually(async () => (await liveStats(one)).subscriptions === 1);

    const staff = await signIn(two.base, 'staffLogin', 'manager@volt.example');
    const made = await staff.gql(
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code } } }',
      {
        input: { customerId: customer.id, productId: productId('volt-sim-unlimited'), template: { title: 'Across routers', message: 'm' } },
      },
    );
    const offerId = made.body.data?.offerCreate.offer?.id as string;
    expect(offerId).toBeTruthy();
    await sub.until(() => sub.ids('offerReceived').includes(offerId));
    expect(sub.results.find((r) => r.data?.offerReceived.id === offerId)?.data?.offerReceived).toEqual({
      id: offerId,
      title: 'Across routers',
      product: { name: expect.any(String), slug: 'volt-sim-unlimited' },
    });
  });

  it("a storefront subscriber on router 2 receives a public offer made through router 1; the other brand's does not", async () => {
    const volt = connectLive(two.ws, { 'x-api-key': KEYS.volt });
    const nimbus = connectLive(two.ws, { 'x-api-key': KEYS.nimbus });
    sockets.push(volt, nimbus);
    const query = 'subscription { storefrontOffers { id title } }';
    const voltSub = subscribeLive(volt, query);
    const nimbusSub = subscribeLive(nimbus, query);
    await eventually(async () => (await liveStats(two)).subscriptions === 2);

    const voltStaff = await signIn(one.base, 'staffLogin', 'manager@volt.example');
    const create = 'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } } }';
    const voltOffer = (await voltStaff.gql(create, { input: { template: { title: 'Volt everywhere', message: 'm' } } })).body.data
      ?.offerCreate.offer.id as string;
    await voltSub.until(() => voltSub.ids('storefrontOffers').includes(voltOffer));
    // Nimbus's own offer, made after, reaches the Nimbus subscriber; the Volt one never did.
    const nimbusStaff = await signIn(one.base, 'staffLogin', 'agent@nimbus.example');
    const nimbusOffer = (await nimbusStaff.gql(create, { input: { template: { title: 'Nimbus everywhere', message: 'm' } } })).body.data
      ?.offerCreate.offer.id as string;
    await nimbusSub.until(() => nimbusSub.ids('storefrontOffers').includes(nimbusOffer));
    expect(nimbusSub.ids('storefrontOffers')).not.toContain(voltOffer);
  });
});
