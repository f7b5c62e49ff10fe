import { type BootedSubgraph, bootSubgraph, internalSecret, type Principal, SQL_COUNT_HEADER } from '@dcrm/kit';
import { signedHeaders } from '@dcrm/kit/testing';
import request from 'supertest';
import { inject } from 'vitest';
import { catalogSubgraph } from '../src/index.js';

export async function bootCatalog(): Promise<BootedSubgraph> {
  return bootSubgraph(catalogSubgraph, { databaseUrl: inject('databaseUrl'), secret: internalSecret(), migrate: false, poolSize: 4 });
}

export type GqlResult = {
  status: number;
  body: { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
  statements: number;
};

/** POSTs an operation to the subgraph's own HTTP handler, as `principal` (unsigned when null). */
export async function gql(
  booted: BootedSubgraph,
  principal: Principal | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult> {
  const body = { query, variables };
  const headers = principal ? signedHeaders(principal, 'catalog', body) : { 'content-type': 'application/json' };
  const response = await request(booted.server.handler).post('/graphql').set(headers).send(body);
  return { status: response.status, body: response.body, statements: Number(response.headers[SQL_COUNT_HEADER] ?? -1) };
}

export const codes = (result: GqlResult) => result.body.errors?.map((e) => e.extensions?.code) ?? [];
