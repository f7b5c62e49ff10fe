import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { expect } from 'vitest';
import type { Stack } from '../../stack/src/stack.js';
import type { Response } from './stack.js';

/**
 * Table-driven brand isolation of writes: each case is one mutation tried on another brand's row,
 * with the refusal it must get and the database rows that must not change.
 */
export type WriteAttempt = {
  /** The Mutation field tried (checked against the schema's staff mutations). */
  mutation: string;
  /** What the case tries, in words. */
  what: string;
  attempt: () => Promise<Response>;
  /** `NOT_FOUND`/`FORBIDDEN` (userError or error code) or `HTTP 401` (refused by the router). */
  refusal: string;
  /** The rows the attempt must leave as they were. */
  rows: () => Promise<unknown>;
};

/** Mutation fields of a subgraph SDL whose `@access` admits staff (no `kinds:` list admits every kind). */
export function staffMutations(schemaFile: URL): string[] {
  const document = parse(readFileSync(schemaFile, 'utf8'));
  const fields = document.definitions.flatMap((d) =>
    (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === 'Mutation'
      ? (d.fields ?? [])
      : [],
  );
  return fields
    .filter((f) => {
      const access = f.directives?.find((d) => d.name.value === 'access');
      const kinds = access?.arguments?.find((a) => a.name.value === 'kinds');
      if (!kinds) return true;
      return kinds.value.kind === Kind.LIST && kinds.value.values.some((v) => v.kind === Kind.STRING && v.value === 'staff');
    })
    .map((f) => f.name.value)
    .sort();
}

/** How a mutation was refused: its first userError's code, else its first error's code, else the HTTP status. */
export function refusalOf(res: Response, mutation: string): string | null {
  const userErrors = res.body.data?.[mutation]?.userErrors as { code: string }[] | undefined;
  if (userErrors?.length) return userErrors[0].code;
  const code = res.body.errors?.[0]?.extensions?.code;
  if (res.status >= 400) return `HTTP ${res.status}`;
  return code ?? null;
}

/** Rows straight from a subgraph's database (`?` placeholders), for before/after comparisons. */
export async function dbRows(stack: Stack, subgraph: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const booted = stack.subgraphs.find((s) => s.definition.name === subgraph);
  if (!booted) throw new Error(`no subgraph ${subgraph}`);
  return booted.orm.em.fork().getConnection().execute(sql, params);
}

/** Runs one case: refused as expected, rows unchanged. */
export async function expectRefusedAndUnchanged(c: WriteAttempt): Promise<void> {
  const before = await c.rows();
  const res = await c.attempt();
  expect(refusalOf(res, c.mutation), `${c.mutation}: ${c.what} → ${JSON.stringify(res.body)}`).toBe(c.refusal);
  expect(await c.rows()).toEqual(before);
}

/** Asserts a mutation succeeded: data present, no errors, no userErrors. Returns its payload. */
export function succeeded(res: Response, mutation: string): Record<string, any> {
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  const payload = res.body.data?.[mutation];
  expect(payload?.userErrors ?? [], JSON.stringify(payload)).toEqual([]);
  return payload;
}
