import { Writable } from 'node:stream';
import request from 'supertest';
import type { Clock } from './clock.js';
import { serviceUnavailable } from './errors.js';
import { setLogDestination } from './logger.js';
import { internalSecret, PRINCIPAL_HEADER, type Principal, signPrincipal } from './principal.js';
import { SQL_COUNT_HEADER } from './sql-counter.js';
import { type BootedSubgraph, bootSubgraph, type Peers, type SubgraphDefinition } from './subgraph.js';
import type { SubgraphTarget } from './targets.js';

/** A stand-in subgraph for tests from its `execute`: `raw` answers the same response as JSON text. */
export function stubTarget(target: Omit<SubgraphTarget, 'raw'>): SubgraphTarget {
  return { ...target, raw: async (request, principal) => JSON.stringify(await target.execute(request, principal)) };
}

/** A target whose subgraph is down: not ready, and every call SERVICE_UNAVAILABLE. */
export const unavailableTarget = (name: string): SubgraphTarget =>
  stubTarget({
    name,
    ready: async () => false,
    execute: async () => {
      throw serviceUnavailable(name);
    },
  });

/** Principals for tests, signed like the router signs them. */
export const principals = {
  shopper: (storefrontId: string): Principal => ({
    kind: 'anonymous',
    id: 'test-key',
    storefrontId,
    partnerId: null,
    roles: [],
    scopes: ['storefront'],
  }),
  customer: (id: string, storefrontId: string, roles: string[] = []): Principal => ({
    kind: 'customer',
    id,
    storefrontId,
    partnerId: null,
    roles,
    scopes: [],
  }),
  staff: (storefrontId: string | null, scopes: string[] = ['catalog:read', 'catalog:write']): Principal => ({
    kind: 'staff',
    id: 'test-staff',
    storefrontId,
    partnerId: null,
    roles: [],
    scopes,
  }),
};

/** Headers of a POST to the `audience` subgraph carrying `body`, signed for exactly that request. */
export function signedHeaders(principal: Principal, audience: string, body: unknown, secret = internalSecret()): Record<string, string> {
  return { [PRINCIPAL_HEADER]: signPrincipal(principal, secret, { audience, body }), 'content-type': 'application/json' };
}

/** A subgraph booted for its own tests: no migrations (the test setup ran them), a small pool. */
export function bootForTest(definition: SubgraphDefinition, databaseUrl: string, options: { peers?: Peers; clock?: Clock } = {}) {
  return bootSubgraph(definition, { databaseUrl, secret: internalSecret(), migrate: false, poolSize: 4, ...options });
}

export type GqlResult = {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary result shapes
  body: { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
  /** SQL statements the request ran (the subgraph's `x-sql-count`), -1 when not reported. */
  statements: number;
};

/** POSTs an operation to a booted subgraph's own HTTP handler, as `principal` (unsigned when null). */
export async function gql(
  booted: BootedSubgraph,
  principal: Principal | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult> {
  const body = { query, variables };
  const headers = principal ? signedHeaders(principal, booted.definition.name, body) : { 'content-type': 'application/json' };
  const response = await request(booted.server.handler).post('/graphql').set(headers).send(body);
  return { status: response.status, body: response.body, statements: Number(response.headers[SQL_COUNT_HEADER] ?? -1) };
}

/** The `extensions.code` of each error of a result. */
export const codes = (result: GqlResult) => result.body.errors?.map((e) => e.extensions?.code) ?? [];

export type CapturedLogs = {
  /** Every line written since the capture began, parsed. */
  lines(): Record<string, unknown>[];
  /** The raw output, for asserting what must never appear in it. */
  text(): string;
  restore(): void;
};

/** Sends every logger of this process into memory at `level` until `restore()`. */
export function captureLogs(level = 'debug'): CapturedLogs {
  let output = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    },
  });
  setLogDestination(sink, level);
  return {
    lines: () =>
      output
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => output,
    restore: () => setLogDestination(null),
  };
}
