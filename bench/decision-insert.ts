/**
 * `pnpm exec tsx bench/decision-insert.ts [--rounds 3] [--batches 20] [--batch 500]` — PostgreSQL CPU per
 * recorded decision (the server backend's own CPU from /proc, so load-independent), for ways of writing a
 * batch of decision rows, interleaved round by round in fresh tables of the decision table's shape:
 *   json     the recorder's statement (one jsonb parameter, jsonb_to_recordset), every index
 *   no-rule  the same without the (rule_id, decided_at) index
 *   arrays   one typed array parameter per column (unnest), every index
 *   stamp    json, then its ACTION rows stamped delivered (an update of each: what a batch does today)
 *   pending  json writing its ACTION ids into a narrow outbox table too, then deleting them there
 * Needs DATABASE_URL (the server's processes readable in /proc: the same machine).
 */

import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { DECISION_COLUMNS } from '../subgraphs/promotion/src/domain/decisioning/recorder.js';
import { pidCpuMicros } from './processes.js';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const rounds = arg('--rounds', 3);
const batches = arg('--batches', 20);
const batchSize = arg('--batch', 500);
const schema = `bench_decision_${Date.now()}`;

// The recorder's own columns, so the variants measure the statement it runs.
const COLUMNS = DECISION_COLUMNS;
const table = (name: string, ruleIndex: boolean) => [
  `create table ${schema}.${name} ("id" uuid primary key, "storefront_id" uuid not null, "producer" varchar(100) not null,
    "event_id" varchar(200) not null, "event_type" varchar(50) not null, "customer_id" uuid not null, "segment" varchar(100) not null,
    "partner_id" uuid null, "occurred_at" timestamptz not null, "outcome" text not null check ("outcome" in ('ACTION', 'NO_ACTION')),
    "rule_id" uuid null, "action_kind" text null, "channel" text null, "offer_id" uuid null, "reasons" jsonb not null default '[]',
    "decided_at" timestamptz not null, "delivered_at" timestamptz null, unique ("storefront_id", "producer", "event_id"))`,
  `create index on ${schema}.${name} ("storefront_id", "decided_at" desc, "id" desc)`,
  ...(ruleIndex ? [`create index on ${schema}.${name} ("rule_id", "decided_at") where "rule_id" is not null`] : []),
  `create index on ${schema}.${name} ("decided_at") where "outcome" = 'ACTION' and "delivered_at" is null`,
];
const jsonInsert = (name: string) => `insert into ${schema}.${name} (${COLUMNS.map(([c]) => `"${c}"`).join(', ')})
  select ${COLUMNS.map(([, f]) => `"${f}"`).join(', ')} from jsonb_to_recordset($1::jsonb) as x(${COLUMNS.map(([, f, t]) => `"${f}" ${t}`).join(', ')})
  on conflict ("storefront_id", "producer", "event_id") do nothing returning id`;
const arrayInsert = (name: string) => `insert into ${schema}.${name} (${COLUMNS.map(([c]) => `"${c}"`).join(', ')})
  select * from unnest(${COLUMNS.map(([, , t], n) => `$${n + 1}::${t}[]`).join(', ')})
  on conflict ("storefront_id", "producer", "event_id") do nothing returning id`;

const storefrontId = randomUUID();
const rules = [randomUUID(), randomUUID(), randomUUID()];
function row(n: number) {
  const action = n % 3 !== 0;
  const rule = rules[n % rules.length];
  return {
    id: randomUUID(),
    storefrontId,
    producer: 'bench-mediation',
    eventId: `${Date.now()}-${n}-${Math.random().toString(36).slice(2)}`,
    eventType: 'DATA_USAGE',
    customerId: randomUUID(),
    segment: n % 10 < 7 ? 'prepaid' : 'postpaid',
    partnerId: null,
    occurredAt: new Date(),
    outcome: action ? 'ACTION' : 'NO_ACTION',
    ruleId: action ? rule : null,
    actionKind: action ? 'OFFER' : null,
    channel: action ? 'SMS' : null,
    offerId: action ? randomUUID() : null,
    reasons: action
      ? [
          { ruleId: rule, code: 'MATCHED', message: 'Data top-up at 80 %: usedShare 0.86 ≥ 0.8' },
          { ruleId: rule, code: 'CHANNEL', message: 'SMS: consented to; response rate 12% (3 accepted of 25 offers in 7 days, segment)' },
          { ruleId: rule, code: 'WON', message: 'priority 10, score 50: the only rule that matched' },
        ]
      : [{ ruleId: null, code: 'NO_RULE_MATCHED', message: 'No active rule for DATA_USAGE matched' }],
    decidedAt: new Date(),
  };
}

// CPU µs of the backend (processes.ts), read as 0 where /proc is not there.
const cpu = (pid: number) => pidCpuMicros(pid) ?? 0;

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
await client.query(`create schema ${schema}`);
const variants: Record<string, (rows: ReturnType<typeof row>[]) => Promise<unknown>> = {};
try {
  for (const [name, ruleIndex] of [
    ['json', true],
    ['no_rule', false],
    ['arrays', true],
  ] as const)
    for (const sql of table(name, ruleIndex)) await client.query(sql);
  for (const sql of table('stamp', true)) await client.query(sql);
  for (const sql of table('pending', true)) await client.query(sql);
  await client.query(`create table ${schema}.pending_ids ("id" uuid primary key, "decided_at" timestamptz not null)`);
  variants.json = (rows) => client.query({ name: 'json', text: jsonInsert('json'), values: [JSON.stringify(rows)] });
  variants['no-rule'] = (rows) => client.query({ name: 'no_rule', text: jsonInsert('no_rule'), values: [JSON.stringify(rows)] });
  variants.arrays = (rows) =>
    client.query({
      name: 'arrays',
      text: arrayInsert('arrays'),
      values: COLUMNS.map(([, f, t]) => rows.map((r) => (t === 'jsonb' ? JSON.stringify(r[f as keyof typeof r]) : r[f as keyof typeof r]))),
    });
  variants.stamp = async (rows) => {
    await client.query({ name: 'stamp', text: jsonInsert('stamp'), values: [JSON.stringify(rows)] });
    const ids = rows.filter((r) => r.outcome === 'ACTION').map((r) => r.id);
    await client.query({
      name: 'stamp_update',
      text: `update ${schema}.stamp set delivered_at = now() where id = any($1::uuid[])`,
      values: [ids],
    });
  };
  variants.pending = async (rows) => {
    await client.query({
      name: 'pending',
      text: `with written as (${jsonInsert('pending')}, outcome, decided_at)
        insert into ${schema}.pending_ids select id, decided_at from written where outcome = 'ACTION' returning id`,
      values: [JSON.stringify(rows)],
    });
    const ids = rows.filter((r) => r.outcome === 'ACTION').map((r) => r.id);
    await client.query({ name: 'pending_delete', text: `delete from ${schema}.pending_ids where id = any($1::uuid[])`, values: [ids] });
  };
  const totals: Record<string, { micros: number; rows: number }> = {};
  for (let round = 0; round < rounds; round++)
    for (const [name, insert] of Object.entries(variants)) {
      const sets = Array.from({ length: batches }, (_, b) => Array.from({ length: batchSize }, (_, i) => row(b * batchSize + i)));
      const before = cpu(pid);
      for (const rows of sets) await insert(rows);
      const used = cpu(pid) - before;
      totals[name] = { micros: (totals[name]?.micros ?? 0) + used, rows: (totals[name]?.rows ?? 0) + batches * batchSize };
      console.log(
        `round ${round + 1} ${name}: ${((used * 10_000) / (batches * batchSize)).toFixed(1)} µs/row (load ${loadavg()[0].toFixed(1)})`,
      );
    }
  for (const [name, t] of Object.entries(totals))
    console.log(`${name}: ${(t.micros / t.rows).toFixed(1)} µs PostgreSQL CPU per row over ${t.rows} rows`);
} finally {
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
}
