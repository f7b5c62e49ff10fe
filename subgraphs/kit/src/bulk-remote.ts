import type { EntityManager } from '@mikro-orm/postgresql';
import { applyBatchOnce, type BulkAction, type BulkChecked, type BulkOutcome, type BulkRowData, type BulkScope } from './bulk.js';
import { apiError } from './errors.js';
import { type Principal, SERVICE_SCOPES, servicePrincipal } from './principal.js';
import type { Peers } from './subgraph.js';
import { answerError, type SubgraphTarget } from './targets.js';

/**
 * A module's bulk actions reached from the customer subgraph's orchestration: every module serves the
 * same two service-only fields from its actions (SDL: kit's bulk.graphql, which `loadTypeDefs(file, { bulk: true })`
 * adds to its schema): `_bulkValidate(input: { action, rows })` and `_bulkApply(input: { action, operationId, batch, rows })`.
 * Row data travels as JSON text; the brand is the signed principal's storefront. Validation answers each
 * valid row's keys and links too: the caller compares keys across calls (`flagRepeatedRows`).
 */

/** Rows per call: the internal input-array limit. */
export const BULK_CALL_ROWS = 250;

type RowInput = { row: number; data: string };
type Ctx = { em: EntityManager; principal: Principal; services?: { peers?: Peers } };

const find = (actions: readonly BulkAction[], name: string): BulkAction => {
  const action = actions.find((a) => a.name === name);
  if (!action) throw apiError('BAD_USER_INPUT', `Unknown bulk action ${name}`);
  return action;
};

function scopeOf({ principal, services }: Ctx): BulkScope {
  if (!principal.storefrontId) throw apiError('FORBIDDEN', 'Bulk calls name the storefront they are for');
  return { principal, storefrontId: principal.storefrontId, peers: services?.peers };
}

const decode = (rows: readonly RowInput[]) => rows.map((r) => ({ row: r.row, data: JSON.parse(r.data) as Record<string, unknown> }));
const encodeChecked = (c: BulkChecked) => ({
  row: c.row,
  value: c.value ? JSON.stringify(c.value) : null,
  problems: c.problems,
  keys: c.value ? (c.keys ?? []) : [],
  links: c.links ?? [],
});

/** The resolvers of `_bulkValidate` and `_bulkApply` for a module's actions (`schema`: its Postgres schema). */
export function bulkServiceResolvers(actions: readonly BulkAction[], schema: string) {
  return {
    Query: {
      _bulkValidate: async (
        _: unknown,
        { input }: { input: { action: string; rows: RowInput[]; segments?: string[] | null } },
        ctx: Ctx,
      ) => {
        const action = find(actions, input.action);
        const rows = decode(input.rows) as BulkRowData[];
        const scope = { ...scopeOf(ctx), ...(input.segments ? { segments: input.segments } : {}) };
        return (await action.validate(ctx.em, scope, rows)).map(encodeChecked);
      },
    },
    Mutation: {
      _bulkApply: async (
        _: unknown,
        { input }: { input: { action: string; operationId: string; batch: number; rows: RowInput[] } },
        ctx: Ctx,
      ) => {
        const action = find(actions, input.action);
        const scope = scopeOf(ctx);
        const rows = decode(input.rows).map((r) => ({ row: r.row, value: r.data }));
        return applyBatchOnce(ctx.em, schema, input, (tx) => action.applyBatch(tx, scope, rows));
      },
    },
  };
}

const PROBLEM = 'problem { field code message }';
const VALIDATE = `query BulkValidate($input: BulkValidateInput!) { _bulkValidate(input: $input) {
  row value problems { field code message } keys { reason value field } links { type id reason } } }`;
const APPLY = `mutation BulkApply($input: BulkApplyInput!) { _bulkApply(input: $input) { row ok id ${PROBLEM} } }`;

/** The customer subgraph's side: one module's actions over GraphQL, as a service of the operation's brand. */
export function remoteBulk(target: SubgraphTarget, caller: string) {
  const principal = (storefrontId: string) => servicePrincipal(caller, storefrontId, [SERVICE_SCOPES.bulkApply]);
  const run = async <T>(query: string, input: Record<string, unknown>, storefrontId: string, field: string): Promise<T> => {
    const response = await target.execute({ query, variables: { input } }, principal(storefrontId));
    if (response.errors?.length || !response.data) throw answerError(target.name, response.errors ?? []);
    return response.data[field] as T;
  };
  return {
    /** Every row, in calls of BULK_CALL_ROWS; `segments`: the uploader's (BulkScope.segments). */
    async validate(action: string, storefrontId: string, rows: BulkRowData[], segments?: string[]): Promise<BulkChecked[]> {
      const checked: BulkChecked[] = [];
      for (let i = 0; i < rows.length; i += BULK_CALL_ROWS) {
        const chunk = rows.slice(i, i + BULK_CALL_ROWS).map((r) => ({ row: r.row, data: JSON.stringify(r.data) }));
        const answer = await run<(Omit<BulkChecked, 'value'> & { value: string | null })[]>(
          VALIDATE,
          { action, rows: chunk, segments: segments ?? null },
          storefrontId,
          '_bulkValidate',
        );
        for (const a of answer) checked.push({ ...a, value: a.value ? JSON.parse(a.value) : null });
      }
      return checked;
    },
    apply(
      action: string,
      storefrontId: string,
      key: { operationId: string; batch: number },
      rows: { row: number; value: Record<string, unknown> }[],
    ): Promise<BulkOutcome[]> {
      const input = { action, ...key, rows: rows.map((r) => ({ row: r.row, data: JSON.stringify(r.value) })) };
      return run<BulkOutcome[]>(APPLY, input, storefrontId, '_bulkApply');
    },
  };
}
