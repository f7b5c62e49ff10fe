import { type ManualClock, manualClock } from '@dcrm/kit';
import { expect, inject } from 'vitest';
import { type Stack, startStack } from '../../../stack/src/stack.js';
import { KEYS, type Response, registerCustomer, signIn } from '../../../tests/support/stack.js';

/** A stack on a manual clock, the Volt manager (ticket:admin), a care agent and a fresh customer: what the SLA tests share. */
export type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;

export async function slaStack(start: string) {
  const clock: ManualClock = manualClock(new Date(start));
  const stack: Stack = await startStack({ databaseUrl: inject('databaseUrl'), seed: false, clock, exposeSqlCount: true });
  const h = stack.router.handler;
  const customer = await registerCustomer(h, KEYS.volt, { prefix: 'sla' });
  const as = {
    admin: (await signIn(h, 'staffLogin', 'manager@volt.example')).gql as Gql,
    agent: (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql as Gql,
    customer: customer.gql as Gql,
  };
  const ticketSubgraph = () => stack.subgraphs.find((s) => s.definition.name === 'ticket') as Stack['subgraphs'][number];
  const sql = async <T>(query: string, params: unknown[] = []) =>
    (await ticketSubgraph().orm.em.fork().getConnection().execute(query, params)) as T[];
  const task = (name: string) => ticketSubgraph().server.tasks?.[name] as (payload: unknown) => Promise<void>;
  return { clock, stack, customer, as, sql, task };
}

export async function ok(gql: Gql, query: string, input: Record<string, unknown>, field: string) {
  const res = await gql(query, { input });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.body.data?.[field].userErrors, JSON.stringify(res.body.data?.[field])).toEqual([]);
  return res.body.data?.[field];
}

export const CREATE = `mutation ($input: TicketCreateInput!) { ticketCreate(input: $input) { ticket { id version } userErrors { code field } } }`;
export const MOVE = `mutation ($input: TicketTransitionInput!) { ticketTransition(input: $input) { ticket { id version status } userErrors { code field } } }`;
export const COMMENT = `mutation ($input: TicketCommentAddInput!) { ticketCommentAdd(input: $input) { ticket { status } userErrors { code } } }`;
export const POLICY_SET = `mutation ($input: SlaPolicySetInput!) { slaPolicySet(input: $input) {
  policy { id name priority category segment responseMinutes resolutionMinutes active version } userErrors { code field } } }`;
export const SLA = `sla { policy { id } policyName responseDueAt resolutionDueAt responseBreached resolutionBreached breached remaining paused escalationLevel }`;

/** The escalation job rows of a ticket (graphile-worker's table): one at most, by its key. */
export const jobRows = (sql: <T>(q: string, p?: unknown[]) => Promise<T[]>, ticketId: string) =>
  sql<{ run_at: string; task_identifier: string }>(
    `select to_char(j.run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as run_at, t.identifier as task_identifier from graphile_worker._private_jobs j
     join graphile_worker._private_tasks t on t.id = j.task_id where j.key = ?`,
    [`ticket-escalation:${ticketId}`],
  );
