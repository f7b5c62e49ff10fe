import { executeBoundPrepared, toPrepared } from '@dcrm/kit';
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

/** A data-modifying `with` part (`name as (insert …)`) and its parameters (`?`; an array as `array[?]::type[]`), run by the same statement. */
export type SqlPart = { sql: string; params: unknown[] };

/**
 * Records sent messages in one statement; a record whose dedupe key was taken meanwhile is not written
 * twice. A column with one value across the batch (a campaign chunk's brand, template, channel, time…)
 * travels once as a parameter; each other column as one typed array (`unnest`), bound server-side: for
 * a campaign chunk of 5,000 PostgreSQL parses arrays of uuids and texts at about two thirds of the CPU
 * a JSON document and `jsonb_to_recordset` cost, and nothing is escaped into the statement's text.
 * `before` are inserts the same statement makes first (the inbox messages): one round trip, all or nothing.
 */
export async function insertSentRecords(em: EntityManager, records: SentRecord[], before: SqlPart[] = []): Promise<void> {
  if (records.length === 0) return;
  const select: string[] = [];
  const arrays: string[] = [];
  const names: string[] = [];
  const constants: unknown[] = [];
  const columns: unknown[][] = [];
  for (const [column, type] of COLUMNS) {
    const first = same(records[0][column]);
    // The id differs per row; keeping it an array also keeps the row set non-empty.
    if (column !== 'id' && records.every((r) => same(r[column]) === first)) {
      select.push(`?::${type}`);
      constants.push(records[0][column] ?? null);
    } else {
      select.push(`x.${column}`);
      arrays.push(`array[?]::${type}[]`);
      names.push(column);
      columns.push(records.map((r) => r[column] ?? null));
    }
  }
  const parts = before.length ? `with ${before.map((p) => p.sql).join(', ')} ` : '';
  const statement = toPrepared(
    `${parts}insert into "customer"."notification_sent" (${COLUMNS.map(([c]) => c).join(', ')})
     select ${select.join(', ')} from unnest(${arrays.join(', ')}) as x(${names.join(', ')})
     on conflict (dedupe_key) do nothing`,
    [...before.flatMap((p) => p.params), ...constants, ...columns],
  );
  await executeBoundPrepared(em, statement.text, statement.values);
}
