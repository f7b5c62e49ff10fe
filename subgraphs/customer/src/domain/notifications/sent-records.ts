import type { EntityManager } from '@mikro-orm/postgresql';
import type { SentRecord } from './send.js';

/** The columns of `notification_sent` a send writes, with their SQL types. */
const COLUMNS: readonly (readonly [keyof SentRecord, string])[] = [
  ['id', 'uuid'],
  ['storefront_id', 'uuid'],
  ['customer_id', 'uuid'],
  ['staff_id', 'uuid'],
  ['partner_user_id', 'uuid'],
  ['template_key', 'text'],
  ['channel', 'text'],
  ['locale', 'text'],
  ['recipient', 'text'],
  ['subject', 'text'],
  ['body', 'text'],
  ['status', 'text'],
  ['error', 'text'],
  ['marketing', 'boolean'],
  ['resendable', 'boolean'],
  ['dedupe_key', 'text'],
  ['resend_of', 'uuid'],
  ['created_at', 'timestamptz'],
];

const same = (value: unknown) => (value instanceof Date ? value.getTime() : (value ?? null));

/**
 * Records sent messages in one statement; a record whose dedupe key was taken meanwhile is not written
 * twice. A column with one value across the batch (a campaign chunk's brand, template, channel, time…)
 * travels once as a parameter rather than in every row of the JSON, which then carries only what
 * differs (ids, recipient, text, dedupe key): about half the bytes to build, escape, send and parse.
 * `before` are inserts the same statement makes first (the inbox messages): one round trip, all or nothing.
 */
/** A data-modifying `with` part (`name as (insert …)`) and its parameters, run by the same statement. */
export type SqlPart = { sql: string; params: unknown[] };

export async function insertSentRecords(em: EntityManager, records: SentRecord[], before: SqlPart[] = []): Promise<void> {
  if (records.length === 0) return;
  const select: string[] = [];
  const varying: (keyof SentRecord)[] = [];
  const constants: unknown[] = [];
  for (const [column, type] of COLUMNS) {
    const first = same(records[0][column]);
    // The id differs per row; keeping it in the JSON also keeps the record set non-empty.
    if (column !== 'id' && records.every((r) => same(r[column]) === first)) {
      select.push(`?::${type}`);
      const value = records[0][column] ?? null;
      // A time as ISO 8601 (with its zone), exactly as the JSON would have carried it.
      constants.push(value instanceof Date ? value.toISOString() : value);
    } else {
      select.push(`x.${column}`);
      varying.push(column);
    }
  }
  const rows = records.map((r) => Object.fromEntries(varying.map((c) => [c, r[c] ?? null])));
  const shape = varying.map((c) => `${c} ${(COLUMNS.find(([name]) => name === c) as readonly [string, string])[1]}`).join(', ');
  const parts = before.length ? `with ${before.map((p) => p.sql).join(', ')} ` : '';
  await em.execute(
    `${parts}insert into "customer"."notification_sent" (${COLUMNS.map(([c]) => c).join(', ')})
     select ${select.join(', ')} from jsonb_to_recordset(?::jsonb) as x(${shape})
     on conflict (dedupe_key) do nothing`,
    [...before.flatMap((p) => p.params), ...constants, JSON.stringify(rows)],
  );
}
