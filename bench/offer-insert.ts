/**
 * `pnpm exec tsx bench/offer-insert.ts [--rounds 4] [--batches 50] [--batch 40]` — CPU per real-time offer
 * written, PostgreSQL's backend (from /proc, so load-independent) and this client's, for the two ways of
 * writing a batch of offers, interleaved round by round into one fresh table of the offer table's shape:
 *   values  one `values` list of 21 placeholders per row (its text varies with the batch size: unnamed, parsed and planned per batch)
 *   json    the rows as one jsonb parameter (`jsonb_to_recordset`), a named prepared statement (insertOffers today)
 * Needs DATABASE_URL (the server's processes readable in /proc: the same machine).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { pidCpuMicros } from './processes.js';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const rounds = arg('--rounds', 4);
const batches = arg('--batches', 50);
const batchSize = arg('--batch', 40);
const schema = `bench_offer_${Date.now()}`;

const COLUMNS = [
  ['id', 'uuid'],
  ['storefront_id', 'uuid'],
  ['customer_id', 'uuid'],
  ['segment', 'text'],
  ['partner_id', 'uuid'],
  ['source', 'text'],
  ['campaign_id', 'uuid'],
  ['rule_id', 'uuid'],
  ['promotion_id', 'uuid'],
  ['product_id', 'uuid'],
  ['title', 'text'],
  ['message', 'text'],
  ['content', 'text'],
  ['link', 'text'],
  ['image_url', 'text'],
  ['coupon_code', 'text'],
  ['score', 'text'],
  ['status', 'text'],
  ['dedupe_key', 'text'],
  ['created_at', 'timestamptz'],
  ['expires_at', 'timestamptz'],
] as const;
const names = COLUMNS.map(([c]) => `"${c}"`).join(', ');

const storefrontId = randomUUID();
const offer = () => {
  const now = new Date();
  return {
    id: randomUUID(),
    storefront_id: storefrontId,
    customer_id: randomUUID(),
    segment: 'prepaid',
    partner_id: null,
    source: 'REAL_TIME',
    campaign_id: null,
    rule_id: null,
    promotion_id: null,
    product_id: null,
    title: 'A 5 GB top-up',
    message: 'Subscriber 12345, a 5 gb top-up',
    content: null,
    link: null,
    image_url: null,
    coupon_code: null,
    score: 50,
    status: 'NEW',
    dedupe_key: `decision:${randomUUID()}`,
    created_at: now,
    expires_at: new Date(now.getTime() + 48 * 3_600_000),
  };
};
type Offer = ReturnType<typeof offer>;

// CPU µs of the backend (processes.ts), read as 0 where /proc is not there.
const cpu = (pid: number) => pidCpuMicros(pid) ?? 0;

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
await client.query(`create schema ${schema}`);
try {
  await client.query(`create table ${schema}."offer" ("id" uuid primary key, "storefront_id" uuid not null, "customer_id" uuid null,
    "segment" varchar(64) null, "partner_id" uuid null, "source" text not null, "campaign_id" uuid null, "rule_id" uuid null,
    "promotion_id" uuid null, "product_id" uuid null, "title" varchar(200) not null, "message" text not null, "content" text null,
    "link" varchar(2000) null, "image_url" varchar(2000) null, "coupon_code" varchar(64) null, "score" double precision not null default 0,
    "status" text not null default 'NEW', "dedupe_key" varchar(200) null unique, "created_at" timestamptz not null, "expires_at" timestamptz null)`);
  await client.query(`create index on ${schema}."offer" ("customer_id", "status", "score" desc)`);
  await client.query(`create index on ${schema}."offer" ("storefront_id", "score" desc) where "customer_id" is null`);
  await client.query(`create index on ${schema}."offer" ("campaign_id") where "campaign_id" is not null`);
  await client.query(`create index on ${schema}."offer" ("customer_id", "created_at") where "campaign_id" is not null`);
  const json = `insert into ${schema}."offer" (${names})
    select ${COLUMNS.map(([c]) => (c === 'score' ? 'x."score"::double precision' : `x."${c}"`)).join(', ')}
    from jsonb_to_recordset($1::jsonb) as x(${COLUMNS.map(([c, t]) => `"${c}" ${t}`).join(', ')})
    on conflict ("dedupe_key") do nothing returning id, storefront_id, customer_id`;
  const variants: Record<string, (rows: Offer[]) => Promise<unknown>> = {
    values: (rows) =>
      client.query(
        `insert into ${schema}."offer" (${names}) values ${rows.map((_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ')}
         on conflict ("dedupe_key") do nothing returning id, storefront_id, customer_id`,
        rows.flatMap((o) => COLUMNS.map(([c]) => o[c])),
      ),
    json: (rows) =>
      client.query({ name: 'json', text: json, values: [JSON.stringify(rows.map((o) => ({ ...o, score: String(o.score) })))] }),
  };
  const totals: Record<string, { server: number; client: number; rows: number }> = {};
  for (let round = 0; round < rounds; round++)
    for (const [name, insert] of Object.entries(variants)) {
      const sets = Array.from({ length: batches }, () => Array.from({ length: batchSize }, offer));
      const before = cpu(pid);
      const own = process.cpuUsage();
      for (const rows of sets) await insert(rows);
      const ownUs = process.cpuUsage(own);
      const server = cpu(pid) - before;
      const clientUs = ownUs.user + ownUs.system;
      const t = (totals[name] ??= { server: 0, client: 0, rows: 0 });
      t.server += server;
      t.client += clientUs;
      t.rows += batches * batchSize;
      const n = batches * batchSize;
      console.log(
        `round ${round + 1} ${name}: PostgreSQL ${(server / n).toFixed(1)} µs/row, client ${(clientUs / n).toFixed(1)} µs/row (load ${loadavg()[0].toFixed(1)})`,
      );
    }
  for (const [name, t] of Object.entries(totals))
    console.log(
      `${name}: PostgreSQL ${(t.server / t.rows).toFixed(1)} µs, client ${(t.client / t.rows).toFixed(1)} µs per row over ${t.rows} rows`,
    );
} finally {
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
}
