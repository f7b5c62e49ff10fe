import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Principal, seedId, signAccessToken } from '@dcrm/kit';
import pg from 'pg';
import type { LiveTiming } from '../router/src/subscriptions/timing.js';
import { breakdown, breakdownMarkdown, type LiveBreakdown, type Receipt, type RouterWindow, type Sent } from './live-breakdown.js';
import { type ClientNote, runClients, workerClients } from './live-clients.js';

/**
 * Live offers: event → delivered latency through graphql-ws, subscribers split over two router processes
 * that share Redis; offers made through the second router (staff `offerCreate`), so most deliveries
 * cross processes through Redis. Latency is receive time − the time the mutation was sent; each phase
 * also reports where that time went (live-breakdown.ts).
 */
export type LiveOptions = {
  /** Router base URLs (http://host:port); subscribers are spread over them round-robin, offers go through the last. */
  routers: string[];
  databaseUrl: string;
  /** The routers' DCRM_JWT_SECRET: the bench signs its subscribers' customer tokens (no 1,000 sign-ins). */
  jwtSecret: string;
  subscribers: number;
  /** Public offers, one at a time, each delivered to every subscriber. */
  storefrontEvents: number;
  /** Personal offers to distinct subscribers, `concurrency` in flight. */
  personalEvents: number;
  /**
   * Offers sent before either phase and left out of every figure (public ones one at a time, then as many
   * personal ones as `concurrency`): the first event through freshly started processes compiles its code
   * paths and plans, which is a start-up cost, not the steady latency the phases report.
   */
  warmupEvents: number;
  concurrency: number;
  /** Worker threads to spread the subscribers over (0: all in the bench's own event loop). */
  workers: number;
  log: (line: string) => void;
  /** Called once subscribers are in and warmed up, as the measured phases begin (`--cpu-prof` reads from there). */
  onMeasuring?: () => void;
};

export type LiveRow = {
  phase: 'storefront' | 'personal';
  title: string;
  subscribers: number;
  routers: number;
  /** Threads the subscribers ran on (the bench's main one, or its workers). */
  clientThreads: number;
  /** The subscribers' event-loop delay over the phase, ms (the worst thread's p99 and max). */
  clientLoopDelay: { p99: number; max: number };
  events: number;
  expected: number;
  delivered: number;
  /** Deliveries per second over the phase (first send → last delivery). */
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: { total: number; lost: number; subscription: number; mutation: number; closed: number };
  breakdown?: LiveBreakdown;
};

const VOLT = seedId('storefront', 'volt');
const VOLT_KEY = 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a';
/** A delivery still missing this long after its event counts as lost. */
const DELIVERY_TIMEOUT_MS = 15_000;

/** Wall-clock ms: the routers' event timings use the same clock. */
const wall = () => performance.timeOrigin + performance.now();

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : Number.NaN;

type Subscriber = { customerId: string; router: string; token: string; received: Map<string, number> };

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return (await res.json()) as {
    data?: Record<string, { accessToken?: string; offer?: { id: string } | null } | null>;
    errors?: unknown[];
  };
}

/** `count` fresh Volt accounts for the subscribers (the demo seed has a handful; SQL, as bench/campaign-launch.ts does). */
async function customers(databaseUrl: string, count: number): Promise<{ id: string; segment: string }[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const run = randomUUID().slice(0, 8);
    const { rows } = await client.query(
      `insert into "customer"."customer" (id, storefront_id, type, name, email, status, category, segment, lifecycle_stage, consents,
         notification_preferences, created_at, updated_at)
       select gen_random_uuid(), $1, 'INDIVIDUAL', 'Live ' || n, 'live-' || $3 || '-' || n || '@bench.example', 'ACTIVE', 'CONSUMER',
         'consumer', 'ACTIVE', '[]', '[]', now(), now()
       from generate_series(1, $2::int) n
       returning id, segment`,
      [VOLT, count, run],
    );
    await client.query('analyze "customer"."customer"');
    return rows;
  } finally {
    await client.end();
  }
}

export async function measureLive(options: LiveOptions): Promise<LiveRow[]> {
  const { log } = options;
  const accounts = await customers(options.databaseUrl, options.subscribers);
  if (accounts.length < options.subscribers)
    throw new Error(`live: only ${accounts.length} Volt customers for ${options.subscribers} subscribers`);
  const secret = new TextEncoder().encode(options.jwtSecret);
  const titleSent = new Map<string, Sent>();
  const errors = { subscription: 0, closed: 0, mutation: 0 };

  // Every subscriber: one socket, two subscriptions (its personal offers and Volt's public ones), run
  // here or spread over `workers` threads (live-clients.ts).
  const subscribers: Subscriber[] = await Promise.all(
    accounts.map(async (account, i) => {
      const principal: Principal = {
        kind: 'customer',
        id: account.id,
        storefrontId: VOLT,
        partnerId: null,
        roles: [`segment:${account.segment}`],
        scopes: [],
      };
      const { token } = await signAccessToken(principal, secret, randomUUID());
      return { customerId: account.id, router: options.routers[i % options.routers.length], token, received: new Map<string, number>() };
    }),
  );
  const byCustomer = new Map(subscribers.map((s) => [s.customerId, s]));
  // Subscribers that received each title, counted as receipts arrive: waiting for an event's last
  // delivery reads one number, where scanning a thousand subscribers every few ms cost the bench (which
  // shares the two cores with the routers) more CPU per event than a router's own fan-out.
  const receivedBy = new Map<string, number>();
  const got = (title: string) => receivedBy.get(title) ?? 0;
  let logged = 0;
  const note = (n: ClientNote) => {
    if (n.kind === 'received') {
      const s = byCustomer.get(n.customerId);
      if (!s || s.received.has(n.title)) return;
      s.received.set(n.title, n.at);
      receivedBy.set(n.title, got(n.title) + 1);
    } else if (n.kind === 'error') errors[n.what]++;
    else if (logged++ < 6) log(n.line);
  };
  const specs = subscribers.map(({ customerId, router, token }) => ({ customerId, router, token }));
  const workers = Math.min(options.workers, specs.length);
  const runners =
    workers > 0
      ? Array.from({ length: workers }, (_, w) =>
          workerClients(
            specs.filter((_, i) => i % workers === w),
            note,
          ),
        )
      : [runClients(specs, note)];
  await Promise.all(runners.map((r) => r.ready));
  // Listening everywhere before the first event (the bus is at-most-once: an event before a subscription is not for it).
  for (const router of options.routers) {
    const want = subscribers.filter((s) => s.router === router).length * 2;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const stats = (await (await fetch(`${router}/debug/subscriptions`)).json()) as { subscriptions: number };
      if (stats.subscriptions >= want) break;
      if (Date.now() > deadline) throw new Error(`live: ${router} has ${stats.subscriptions} of ${want} subscriptions after 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  log(`live: ${subscribers.length} subscribers on ${options.routers.length} routers, listening`);

  const publisher = options.routers[options.routers.length - 1];
  const login = await post(
    publisher,
    'mutation ($input: LoginInput!) { staffLogin(input: $input) { accessToken } }',
    { input: { email: 'manager@volt.example', password: 'dcrm-demo-2026' } },
    {},
  );
  const staffToken = login.data?.staffLogin?.accessToken as string | undefined;
  if (!staffToken) throw new Error(`live: staff sign-in failed: ${JSON.stringify(login).slice(0, 300)}`);
  const staff = { authorization: `Bearer ${staffToken}`, 'x-api-key': VOLT_KEY };
  const run = randomUUID().slice(0, 8);
  const offer = async (title: string, customerId: string | null) => {
    const sent: Sent = { sentAt: wall(), answeredAt: Number.NaN, offerId: null };
    titleSent.set(title, sent);
    const res = await post(
      publisher,
      'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id } userErrors { code message } } }',
      {
        input: {
          ...(customerId ? { customerId } : {}),
          productId: seedId('product', 'volt-sim-unlimited'),
          template: { title, message: 'bench' },
        },
      },
      staff,
    );
    sent.answeredAt = wall();
    sent.offerId = res.data?.offerCreate?.offer?.id ?? null;
    if (!res.data?.offerCreate?.offer) {
      errors.mutation++;
      if (errors.mutation <= 3) log(`live: offerCreate failed: ${JSON.stringify(res).slice(0, 300)}`);
      return false;
    }
    return true;
  };
  const settle = async (expect: () => number, total: number) => {
    const deadline = wall() + DELIVERY_TIMEOUT_MS;
    while (expect() < total && wall() < deadline) await new Promise((r) => setTimeout(r, 5));
  };

  // Warm-up: every stage's code path run once (mutation, publish, lookups, writes), then forgotten.
  // A warm-up offer that fails or is not delivered fails the bench: it is an error, only its timing is left out.
  if (options.warmupEvents > 0) {
    let missing = 0;
    for (let i = 0; i < options.warmupEvents; i++) {
      const title = `bench ${run} warm-up public ${i}`;
      if (await offer(title, null)) await settle(() => got(title), subscribers.length);
      missing += subscribers.length - got(title);
    }
    const warm = subscribers.slice(0, options.concurrency).map((s, i) => ({ s, title: `bench ${run} warm-up personal ${i}` }));
    await Promise.all(warm.map(({ s, title }) => offer(title, s.customerId)));
    await settle(() => warm.filter(({ s, title }) => s.received.has(title)).length, warm.length);
    missing += warm.filter(({ s, title }) => !s.received.has(title)).length;
    if (missing > 0 || errors.mutation + errors.subscription + errors.closed > 0)
      throw new Error(`live: warm-up lost ${missing} deliveries, errors ${JSON.stringify(errors)}`);
    log(`live: warmed up with ${options.warmupEvents} public and ${warm.length} personal offers (not counted)`);
  }
  options.onMeasuring?.();

  const rows: LiveRow[] = [];
  const row = (
    phase: LiveRow['phase'],
    title: string,
    titles: string[],
    who: (title: string) => Subscriber[],
    started: number,
    before: typeof errors,
    window: Window,
    windows: RouterWindow[],
  ): LiveRow => {
    const latencies: number[] = [];
    const receipts: Receipt[] = [];
    let expected = 0;
    let last = started;
    for (const t of titles) {
      const sent = titleSent.get(t) as Sent;
      for (const s of who(t)) {
        expected++;
        const at = s.received.get(t);
        if (at === undefined) continue;
        latencies.push(at - sent.sentAt);
        if (sent.offerId) receipts.push({ router: s.router, offerId: sent.offerId, at });
        last = Math.max(last, at);
      }
    }
    const cpu = process.cpuUsage(window.cpu);
    latencies.sort((a, b) => a - b);
    const lost = expected - latencies.length;
    const e = {
      lost,
      subscription: errors.subscription - before.subscription,
      mutation: errors.mutation - before.mutation,
      closed: errors.closed - before.closed,
    };
    return {
      phase,
      title,
      subscribers: subscribers.length,
      routers: options.routers.length,
      clientThreads: runners.length,
      clientLoopDelay: window.delay ?? { p99: Number.NaN, max: Number.NaN },
      events: titles.length,
      expected,
      delivered: latencies.length,
      deliveriesPerSecond: latencies.length / Math.max((last - started) / 1000, 1e-3),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      errors: { total: e.lost + e.subscription + e.mutation + e.closed, ...e },
      breakdown: breakdown(
        titles.map((t) => titleSent.get(t) as Sent),
        windows,
        receipts,
        cpu.user + cpu.system,
      ),
    };
  };
  // Each router's live stats (deliveries, CPU, event timings) and the bench's CPU, before a phase and after it.
  type Window = { cpu: NodeJS.CpuUsage; timings: LiveTiming[]; delay?: LiveRow['clientLoopDelay'] };
  const timingsNow = () =>
    Promise.all(
      options.routers.map(async (router) => {
        const stats = (await (await fetch(`${router}/debug/subscriptions`)).json()) as { timing?: LiveTiming };
        return stats.timing ?? { deliveries: 0, cpuMicros: 0, events: [] };
      }),
    );
  const open = async (): Promise<Window> => {
    for (const r of runners) r.resetDelay();
    return { timings: await timingsNow(), cpu: process.cpuUsage() };
  };
  const close = async (window: Window): Promise<RouterWindow[]> => {
    const after = await timingsNow();
    const delays = await Promise.all(runners.map((r) => r.delay()));
    window.delay = { p99: Math.max(...delays.map((d) => d.p99)), max: Math.max(...delays.map((d) => d.max)) };
    return options.routers.map((router, i) => ({ router, before: window.timings[i], after: after[i] }));
  };

  // Public offers: each to every subscriber, one event at a time.
  {
    const titles: string[] = [];
    const before = { ...errors };
    const window = await open();
    const started = wall();
    for (let i = 0; i < options.storefrontEvents; i++) {
      const title = `bench ${run} public ${i}`;
      titles.push(title);
      if (await offer(title, null)) await settle(() => got(title), subscribers.length);
    }
    const windows = await close(window);
    const title = `public offer → ${subscribers.length} subscribers`;
    rows.push(row('storefront', title, titles, () => subscribers, started, before, window, windows));
  }
  // Personal offers: each to one subscriber, several in flight.
  {
    const targets = new Map<string, Subscriber>();
    const titles: string[] = [];
    const before = { ...errors };
    const window = await open();
    const started = wall();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.personalEvents) {
          const i = next++;
          const target = subscribers[(i * 7919) % subscribers.length];
          const title = `bench ${run} personal ${i}`;
          targets.set(title, target);
          titles.push(title);
          await offer(title, target.customerId);
        }
      }),
    );
    await settle(() => titles.filter((t) => targets.get(t)?.received.has(t)).length, titles.length);
    const windows = await close(window);
    const who = (t: string) => [targets.get(t) as Subscriber];
    rows.push(row('personal', 'personal offer → its subscriber', titles, who, started, before, window, windows));
  }

  await Promise.all(runners.map((r) => r.stop()));
  return rows;
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

export function liveMarkdown(rows: LiveRow[]): string {
  const stages = breakdownMarkdown(rows);
  return [
    '| live offers (graphql-ws) | subscribers × routers | client threads | events | delivered / expected | deliveries/s | p50 ms | p99 ms | max ms | client loop delay p99 / max ms | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.title} | ${r.subscribers} × ${r.routers} | ${r.clientThreads} | ${r.events} | ${r.delivered} / ${r.expected} | ${r.deliveriesPerSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.clientLoopDelay.p99)} / ${ms(r.clientLoopDelay.max)} | ${r.errors.total} |`,
    ),
    ...(stages ? ['', stages] : []),
  ].join('\n');
}
